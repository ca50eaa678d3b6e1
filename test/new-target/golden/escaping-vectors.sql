SELECT * FROM events
WHERE LOWER("A") = LOWER('C:\Windows\')
    AND LOWER("B") LIKE LOWER('%\\*.dll') ESCAPE '\'
    AND LOWER("C") LIKE LOWER('%select *%') ESCAPE '\'
    AND LOWER("D") LIKE LOWER('% /?%') ESCAPE '\'
    AND LOWER("E") = LOWER('say "hi"')
    AND LOWER("F") = LOWER('it''s')
    AND LOWER("G") = LOWER('tab	here
    newline')
    AND LOWER("H") = LOWER('pipe | equals = brackets [x] (y) {z} $var `tick` #hash ~tilde')
    AND LOWER("I") = LOWER('ünïcødé ☃ 𝄞')
    AND LOWER("J") LIKE LOWER('\\WindowsPowerShell\\Modules\\%\\.ps') ESCAPE '\'
    AND LOWER("K") = LOWER('\\?\GLOBALROOT\Device')
    AND LOWER("L") LIKE LOWER('%''"\\%') ESCAPE '\'
