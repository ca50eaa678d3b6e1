SELECT * FROM events
WHERE LOWER("Image") LIKE LOWER('%\\wmic.exe') ESCAPE '\'
        AND LOWER("CommandLine") LIKE LOWER('%shadowcopy delete%') ESCAPE '\'
    OR LOWER("Image") LIKE LOWER('%\\vssadmin.exe') ESCAPE '\'
        AND LOWER("CommandLine") LIKE LOWER('%delete%') ESCAPE '\'
        AND LOWER("CommandLine") LIKE LOWER('%shadows%') ESCAPE '\'
