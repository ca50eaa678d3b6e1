SELECT * FROM events
WHERE REGEXP_LIKE("CommandLine", '\s-[eE][nN][cC]\s+[A-Za-z0-9+/=]{20,}', 'c')
    OR REGEXP_LIKE("CommandLine", 'invoke-(expression|webrequest)', 'i')
    OR REGEXP_LIKE("ScriptBlockText", '^\$a = ".*"$', 'cmn')
    OR REGEXP_LIKE("CommandLine", '"[^"]+\\', 'c')
