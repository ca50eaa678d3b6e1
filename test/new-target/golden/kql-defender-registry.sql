SELECT * FROM events
WHERE (
        LOWER("TargetObject") LIKE LOWER('HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\%') ESCAPE '\'
            AND LOWER("Details") IN (LOWER('DWORD (0x00000001)'), LOWER('(Empty)'), LOWER('C:\Temp\x.exe'))
        OR LOWER("TargetObject") LIKE LOWER('%\\Software\\Classes\\%') ESCAPE '\'
            AND LOWER("TargetObject") LIKE LOWER('%\\shell\\open\\command\\(Default)') ESCAPE '\'
    )
    AND NOT ("Image" IS NOT NULL AND LOWER("Image") LIKE LOWER('%\\msiexec.exe') ESCAPE '\')
