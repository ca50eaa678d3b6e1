SELECT * FROM events
WHERE LOWER("Image") LIKE LOWER('%\\a.exe') ESCAPE '\'
    AND (
        REGEXP_LIKE("CommandLine", '-b\s', 'c')
        OR LOWER("ParentImage") LIKE LOWER('%\\c.exe') ESCAPE '\'
    )
