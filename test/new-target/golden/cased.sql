SELECT * FROM events
WHERE "CommandLine" LIKE '%AdFind%' ESCAPE '\'
    AND "Image" = 'C:\Tools\AdFind.exe'
    AND "Description" LIKE 'Joeware%' ESCAPE '\'
