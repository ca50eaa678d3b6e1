SELECT * FROM events
WHERE (
        LOWER("event.category") = LOWER('process')
            AND (
                LOWER("process.name") = LOWER('tool.exe')
                OR LOWER("process.hash.sha1") = LOWER('0123456789abcdef0123456789abcdef01234567')
            )
        OR LOWER("event.category") = LOWER('file')
            AND (
                LOWER("file.name") = LOWER('tool.exe')
                OR LOWER("file.hash.sha1") = LOWER('0123456789abcdef0123456789abcdef01234567')
            )
    )
    AND NOT ("process.args" IS NOT NULL AND LOWER("process.args") LIKE LOWER('%inventory%') ESCAPE '\')
