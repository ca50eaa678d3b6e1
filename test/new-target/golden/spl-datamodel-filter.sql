SELECT * FROM events
WHERE LOWER("Image") LIKE LOWER('%\\powershell.exe') ESCAPE '\'
    AND NOT ("CommandLine" IS NOT NULL AND REGEXP_LIKE("CommandLine", '-enc\s', 'c'))
