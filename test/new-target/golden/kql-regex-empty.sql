SELECT * FROM events
WHERE REGEXP_LIKE("CommandLine", '^(a|)$', 'c')
    OR REGEXP_LIKE("CommandLine", 'x*', 'i')
    OR REGEXP_LIKE("CommandLine", 'abc', 'c')
