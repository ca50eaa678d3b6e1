SELECT * FROM events
WHERE LOWER("process.name") = LOWER('nc.exe')
