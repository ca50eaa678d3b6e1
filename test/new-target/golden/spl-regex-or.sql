SELECT * FROM events
WHERE REGEXP_LIKE("CommandLine", 'a.*b', 'c')
    AND (REGEXP_LIKE("Image", '\\evil\d+\.exe$', 'c') OR REGEXP_LIKE("ParentImage", 'office', 'i'))
    AND NOT ("User" IS NOT NULL AND REGEXP_LIKE("User", '^NT AUTHORITY', 'c'))
