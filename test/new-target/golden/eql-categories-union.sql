SELECT * FROM events
WHERE LOWER("Image") LIKE LOWER('%\\evil.exe') ESCAPE '\'
