SELECT * FROM events
WHERE LOWER("process.name") = LOWER('cmd.exe')
    AND LOWER("process.parent.name") LIKE LOWER('%explorer.exe') ESCAPE '\'
    AND LOWER("process.command_line") LIKE LOWER('%/c whoami%') ESCAPE '\'
    AND LOWER("user.name") = LOWER('alice')
