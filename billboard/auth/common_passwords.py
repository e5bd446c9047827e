"""Frequent passwords and the words frequent passwords are built on, in lower case.

From the well-known public lists of most-used passwords, plus Indonesian and local words
(the city, its agencies, elections) that people here reach for first.
"""

COMMON_PASSWORDS = frozenset({
    "000000", "0123456789", "012345678910", "111111", "112233", "121212", "123123", "123456",
    "12345678", "123456789", "1234567890", "123456789012", "1234567891", "12345678910",
    "147258369", "159753", "1q2w3e", "1q2w3e4r", "1q2w3e4r5t", "1q2w3e4r5t6y", "1qaz2wsx",
    "1qaz2wsx3edc", "654321", "987654321", "9876543210", "987654321012", "abc123", "abcd1234",
    "abcdef", "abcdefgh", "abcdefghijkl", "access", "admin", "admin123", "admin1234",
    "administrator", "administrator1", "akucintakamu", "akusayangkamu", "alhamdulillah",
    "allahuakbar", "andrew", "angel", "angels", "anjing", "apple", "arema", "asdfgh", "asdfghjkl",
    "ashley", "asn", "assalamualaikum", "autumn", "ayam", "babel", "bakeuda", "baliho",
    "balihopangkalpinang", "bandung", "bangka", "bangkabelitung", "baseball", "baseball1",
    "basketball", "batman", "bawaslu", "bebas", "bebek", "belitung", "bismillah", "bismillah123",
    "blessed", "blessing", "changeit", "changeme", "charlie", "cheese", "chocolate", "christ",
    "cinta", "cintaku", "cintaselamanya", "computer", "cookie", "daniel", "default", "dinas",
    "doraemon", "dragon", "facebook", "family", "flower", "football", "football1", "forever",
    "freedom", "friends", "friendship", "gampang", "garuda", "garudamuda", "google", "guest",
    "hello", "hello123", "helloworld", "hunter", "iloveyou", "iloveyou1", "iloveyou123",
    "indonesia", "indonesia1", "indonesiaraya", "instagram", "insyaallah", "internet", "jakarta",
    "jennifer", "jessica", "jesus", "jesuschrist", "jordan", "kantor", "katasandi", "katasandiku",
    "kpu", "kpukota", "kpupangkalpinang", "kucing", "kunci", "kuncirahasia", "letmein",
    "letmeinnow", "login", "login123", "love", "lovely", "loveyou", "manggar", "maria", "master",
    "masuk", "masukaja", "masyaallah", "matthew", "merdeka", "merdeka45", "michael", "microsoft",
    "monkey", "mudah", "muntok", "mustang", "naruto", "nicole", "ninja", "nusantara", "p@ssw0rd",
    "p@ssword", "pancasila", "pangkalpinang", "pass", "pass123", "passw0rd", "password",
    "password1", "password12", "password123", "password1234", "passwordpassword", "pegawai",
    "pemda", "pemerintah", "pemerintahkota", "pemilu", "pemilu2024", "pemkot", "persib", "persija",
    "pilkada", "pilkada2024", "pns", "pokemon", "princess", "qazwsx", "qazwsxedc", "qwerty",
    "qwerty123", "qwerty123456", "qwertyui", "qwertyuiop", "qwertyuiopasdf", "rahasia",
    "rahasiaku", "robert", "root", "samsung", "sandi", "sayang", "sayangkamu", "sayangku",
    "secret", "secret123", "shadow", "soccer", "spring", "starwars", "subhanallah", "summer",
    "sungailiat", "sunshine", "superadmin", "superman", "superuser", "surabaya", "tanjungpandan",
    "terserah", "test", "test123", "tester", "testing", "thomas", "timnas", "toboali", "toor",
    "trustno1", "walikota", "welcome", "welcome1", "welcome123", "whatever", "whatsapp", "windows",
    "winter", "youtube", "zaq12wsx", "zxcvbnm", "zxcvbnm123",
})
