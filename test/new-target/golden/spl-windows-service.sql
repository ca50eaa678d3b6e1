SELECT * FROM events
WHERE ("EventID" = 4624 OR "EventID" = 4625)
    AND "LogonType" = 3
    AND NOT ("TargetUserName" IS NOT NULL AND LOWER("TargetUserName") LIKE LOWER('%$') ESCAPE '\')
