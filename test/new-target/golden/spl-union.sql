SELECT * FROM events
WHERE REGEXP_LIKE("Computer", '^ws-', 'c') AND LOWER("User") = LOWER('admin')
