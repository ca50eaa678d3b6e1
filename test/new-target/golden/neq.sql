SELECT * FROM events
WHERE LOWER("Image") LIKE LOWER('%\\rundll32.exe') ESCAPE '\'
    AND NOT (
        "User" IS NOT NULL AND LOWER("User") = LOWER('SYSTEM')
        OR "User" IS NOT NULL AND LOWER("User") = LOWER('LOCAL SERVICE')
    )
