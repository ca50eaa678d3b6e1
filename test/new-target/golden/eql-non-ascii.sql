SELECT * FROM events
WHERE LOWER("Description") = LOWER('arrêté')
    OR LOWER("User") LIKE LOWER('%\\СИСТЕМА') ESCAPE '\'
    OR "Product" LIKE '%Ωmega%' ESCAPE '\'
    OR LOWER("Company") LIKE LOWER('%☃ 𝄞%') ESCAPE '\'
