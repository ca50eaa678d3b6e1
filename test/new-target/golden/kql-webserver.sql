SELECT * FROM events
WHERE LOWER("cs-method") = LOWER('POST')
    AND LOWER("cs-uri-query") LIKE LOWER('%../%') ESCAPE '\'
    AND "sc-status" = 200
