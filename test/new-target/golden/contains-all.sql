SELECT * FROM events
WHERE LOWER("CommandLine") LIKE LOWER('% /delete %') ESCAPE '\'
    AND LOWER("CommandLine") LIKE LOWER('%/tn *%') ESCAPE '\'
    AND LOWER("CommandLine") LIKE LOWER('% /f%') ESCAPE '\'
