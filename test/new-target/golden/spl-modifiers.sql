SELECT * FROM events
WHERE "CommandLine" = 'd2hvYW1p'
    AND (
        "ParentCommandLine" LIKE '%cABpAG4AZw%' ESCAPE '\'
        OR "ParentCommandLine" LIKE '%AAaQBuAGcA%' ESCAPE '\'
        OR "ParentCommandLine" LIKE '%wAGkAbgBnA%' ESCAPE '\'
    )
    AND "CurrentDirectory" LIKE 'C:\\Users\\%' ESCAPE '\'
    AND LOWER("OriginalFileName") LIKE LOWER('%power%') ESCAPE '\'
    AND LOWER("OriginalFileName") LIKE LOWER('%shell%') ESCAPE '\'
    AND "ProcessId" >= 100
    AND "IntegrityLevel" IS NOT NULL
    AND "Description" = 'AHg='
