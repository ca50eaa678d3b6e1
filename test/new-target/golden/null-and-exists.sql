SELECT * FROM events
WHERE LOWER("Image") LIKE LOWER('%\\svchost.exe') ESCAPE '\'
    AND "ParentImage" IS NOT NULL
    AND NOT ("CommandLine" IS NOT NULL AND LOWER("CommandLine") = LOWER(''))
    AND ("User" IS NOT NULL OR "OriginalFileName" IS NULL)
