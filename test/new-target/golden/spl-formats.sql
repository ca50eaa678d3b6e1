SELECT * FROM events
WHERE LOWER("Image") LIKE LOWER('%\\rundll32.exe') ESCAPE '\'
    AND REGEXP_LIKE("CommandLine", 'javascript:', 'c')
    AND NOT ("ParentImage" IS NOT NULL AND LOWER("ParentImage") LIKE LOWER('%\\explorer.exe') ESCAPE '\')
