SELECT * FROM events
WHERE LOWER("A") = LOWER('foo')
    OR LOWER("B") LIKE LOWER('foo%') ESCAPE '\'
    OR LOWER("C") LIKE LOWER('%foo') ESCAPE '\'
    OR LOWER("D") LIKE LOWER('%foo%') ESCAPE '\'
    OR LOWER("E") LIKE LOWER('foo%bar') ESCAPE '\'
    OR LOWER("F") LIKE LOWER('prog_.exe') ESCAPE '\'
    OR LOWER("G") LIKE LOWER('%a%b%') ESCAPE '\'
    OR LOWER("H") LIKE LOWER('%%') ESCAPE '\'
