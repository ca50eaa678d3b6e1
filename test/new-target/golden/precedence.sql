SELECT * FROM events
WHERE ("A" = 1 AND "B" = 2 OR "C" = 3)
        AND NOT ("C" IS NOT NULL AND "C" = 3 OR "D" IS NOT NULL AND "D" = 4)
    OR NOT ("A" IS NOT NULL AND "A" = 1) AND ("B" = 2 OR NOT ("D" IS NOT NULL AND "D" = 4))
