SELECT * FROM events
WHERE "EventID" = 4688
    AND "ProcessId" > 1000
    AND "ParentProcessId" <= 4
    AND NOT ("IntegrityLevel" IS NOT NULL AND "IntegrityLevel" >= 3)
