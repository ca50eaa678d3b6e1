SELECT * FROM events
WHERE "Logon Type" = 3
    AND LOWER("cs-uri-query") LIKE LOWER('%/admin%') ESCAPE '\'
    AND LOWER("c.ip") = LOWER('10.1.1.1')
    AND LOWER("2fa") = LOWER('true')
    AND LOWER("Source Name") = LOWER('Service Control Manager')
