SELECT * FROM events
WHERE LOWER("Image") LIKE LOWER('%\\certutil.exe') ESCAPE '\'
    AND (
        LOWER("CommandLine") LIKE LOWER('% -urlcache %') ESCAPE '\'
        OR LOWER("CommandLine") LIKE LOWER('% /urlcache %') ESCAPE '\'
        OR LOWER("CommandLine") LIKE LOWER('% –urlcache %') ESCAPE '\'
        OR LOWER("CommandLine") LIKE LOWER('% —urlcache %') ESCAPE '\'
        OR LOWER("CommandLine") LIKE LOWER('% ―urlcache %') ESCAPE '\'
        OR LOWER("CommandLine") LIKE LOWER('% -f %') ESCAPE '\'
        OR LOWER("CommandLine") LIKE LOWER('% /f %') ESCAPE '\'
        OR LOWER("CommandLine") LIKE LOWER('% –f %') ESCAPE '\'
        OR LOWER("CommandLine") LIKE LOWER('% —f %') ESCAPE '\'
        OR LOWER("CommandLine") LIKE LOWER('% ―f %') ESCAPE '\'
    )
