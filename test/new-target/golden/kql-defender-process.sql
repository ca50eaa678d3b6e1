SELECT * FROM events
WHERE (
        LOWER("Image") LIKE LOWER('%\\rundll32.exe') ESCAPE '\'
        OR LOWER("OriginalFileName") = LOWER('RUNDLL32.EXE')
    )
    AND (
        LOWER("ParentImage") LIKE LOWER('C:\\Users\\%') ESCAPE '\'
            AND LOWER("ParentCommandLine") LIKE LOWER('%http%') ESCAPE '\'
            AND LOWER("ParentCommandLine") LIKE LOWER('%.dll%') ESCAPE '\'
        OR LOWER("User") LIKE LOWER('%\\SYSTEM') ESCAPE '\'
            AND LOWER("LogonId") = LOWER('0x3e7')
            AND LOWER("IntegrityLevel") = LOWER('System')
        OR LOWER("Hashes") LIKE LOWER('%SHA1=0123456789abcdef0123456789abcdef01234567%') ESCAPE '\'
        OR LOWER("Hashes") LIKE LOWER('%MD5=0123456789ABCDEF0123456789ABCDEF%') ESCAPE '\'
        OR LOWER("Hashes") LIKE LOWER('%SHA256=0123%') ESCAPE '\'
    )
    AND NOT (
        "ProcessId" IS NOT NULL
        AND "ProcessId" > 1000
        AND (
            "ParentProcessId" IS NOT NULL AND "ParentProcessId" = 4
            OR "ParentProcessId" IS NOT NULL AND LOWER("ParentProcessId") = LOWER('8')
        )
        AND NOT ("ProcessId" = 1 OR "ProcessId" = 2)
    )
    AND NOT ("ProcessId" IS NOT NULL AND LOWER("ProcessId") LIKE LOWER('%77%') ESCAPE '\')
