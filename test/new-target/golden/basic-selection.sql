SELECT * FROM events
WHERE LOWER("Image") LIKE LOWER('%\\nbtscan.exe') ESCAPE '\'
    AND (
        LOWER("CommandLine") LIKE LOWER('% -r %') ESCAPE '\'
        OR LOWER("CommandLine") LIKE LOWER('% -v %') ESCAPE '\'
    )
