SELECT * FROM events
WHERE LOWER("Image") LIKE LOWER('%\\nbtscan.exe') ESCAPE '\'
