SELECT * FROM events
WHERE LOWER("Image") LIKE LOWER('%\\a.exe') ESCAPE '\'
        AND LOWER("CommandLine") LIKE LOWER('% -b %') ESCAPE '\'
    OR LOWER("ParentImage") LIKE LOWER('%\\c.exe') ESCAPE '\'
