SELECT * FROM events
WHERE REGEXP_LIKE("CommandLine", 'powershell(?!\.exe)', 'c')
