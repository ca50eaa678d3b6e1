SELECT * FROM events
WHERE LOWER("CommandLine") LIKE LOWER('%/tn *%') ESCAPE '\'
    OR LOWER("CommandLine") = LOWER('select * from x')
    OR LOWER("CommandLine") LIKE LOWER('% /?') ESCAPE '\'
    OR LOWER("CommandLine") LIKE LOWER('%a*b_c%') ESCAPE '\'
    OR "CommandLine" LIKE '%A*B%' ESCAPE '\'
    OR "CommandLine" = 'A*B'
    OR LOWER("CommandLine") LIKE LOWER('%*?%') ESCAPE '\'
