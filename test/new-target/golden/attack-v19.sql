SELECT * FROM events
WHERE LOWER("Image") LIKE LOWER('%\\certutil.exe') ESCAPE '\'
    AND LOWER("CommandLine") LIKE LOWER('% -encode %') ESCAPE '\'
