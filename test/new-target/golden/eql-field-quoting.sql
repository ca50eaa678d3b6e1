SELECT * FROM events
WHERE LOWER("sequence") = LOWER('a')
    AND LOWER("by.name") = LOWER('b')
    AND LOWER("weird`name") = LOWER('c')
    AND LOWER("@timestamp_x") = LOWER('d')
    AND LOWER("x.2nd") = LOWER('e')
    AND LOWER("Account Name") = LOWER('f')
