SELECT * FROM events
WHERE "where" = 1
    AND LOWER("contains") = LOWER('a')
    AND LOWER("project") = LOWER('b')
    AND LOWER("__internal") = LOWER('c')
    AND LOWER("it's") = LOWER('d')
    AND LOWER("back\slash") = LOWER('e')
    AND LOWER("tab	here") = LOWER('f')
    AND LOWER("Plain_Name1") = LOWER('g')
    AND LOWER("ünïcode") = LOWER('h')
