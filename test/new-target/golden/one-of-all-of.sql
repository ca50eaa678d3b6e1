SELECT * FROM events
WHERE (
        LOWER("Image") LIKE LOWER('%\\powershell.exe') ESCAPE '\'
        OR LOWER("OriginalFileName") = LOWER('PowerShell.EXE')
    )
    AND (
        LOWER("CommandLine") LIKE LOWER('%-nop%') ESCAPE '\'
        OR LOWER("CommandLine") LIKE LOWER('%-w hidden%') ESCAPE '\'
    )
    AND NOT (
        "ParentImage" IS NOT NULL AND LOWER("ParentImage") LIKE LOWER('C:\\Program Files\\%') ESCAPE '\'
        OR "ParentImage" IS NULL
    )
