SELECT * FROM events
WHERE LOWER("Image") LIKE LOWER('%\\backup.exe') ESCAPE '\'
    AND (
        EXTRACT(HOUR FROM "UtcTime") = 1
        OR EXTRACT(HOUR FROM "UtcTime") = 2
        OR EXTRACT(HOUR FROM "UtcTime") = 3
    )
