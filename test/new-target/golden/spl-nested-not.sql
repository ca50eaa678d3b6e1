SELECT * FROM events
WHERE NOT (
        "Image" IS NOT NULL
        AND LOWER("Image") LIKE LOWER('%\\a.exe') ESCAPE '\'
        AND NOT (
            REGEXP_LIKE("CommandLine", 'b+', 'c')
            OR NOT ("User" IS NOT NULL AND LOWER("User") = LOWER('SYSTEM'))
        )
    )
