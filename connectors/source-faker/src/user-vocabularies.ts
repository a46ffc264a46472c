// Values faker has no generator for, in the style of the fixture Airbyte's faker produced.

/** Example: `ACADEMIC_DEGREES[0]` → `"Bachelor"`. */
export const ACADEMIC_DEGREES: readonly string[] = ["Bachelor", "Master", "PhD", "Associate", "Doctorate"];

/** Uses U+2212 MINUS SIGN, as Airbyte's faker does (`"B\u2212"`). */
export const BLOOD_TYPES: readonly string[] = [
  "O+",
  "O\u2212",
  "A+",
  "A\u2212",
  "B+",
  "B\u2212",
  "AB+",
  "AB\u2212",
];

/** Free-mail domains for the generated addresses. */
export const EMAIL_DOMAINS: readonly string[] = [
  "gmail.com",
  "yahoo.com",
  "outlook.com",
  "hotmail.com",
  "protonmail.com",
  "icloud.com",
  "duck.com",
  "yandex.com",
  "example.com",
];

/** Example: `NATIONALITIES[0]` → `"American"`. */
export const NATIONALITIES: readonly string[] = [
  "American",
  "Argentinian",
  "Australian",
  "Austrian",
  "Belgian",
  "Brazilian",
  "British",
  "Canadian",
  "Chilean",
  "Chinese",
  "Colombian",
  "Czech",
  "Danish",
  "Dutch",
  "Egyptian",
  "Estonian",
  "Finnish",
  "French",
  "German",
  "Greek",
  "Guatemalan",
  "Hungarian",
  "Indian",
  "Indonesian",
  "Irish",
  "Italian",
  "Japanese",
  "Jordanian",
  "Kenyan",
  "Korean",
  "Mexican",
  "Moroccan",
  "New Zealander",
  "Nigerian",
  "Norwegian",
  "Peruvian",
  "Polish",
  "Portuguese",
  "Russian",
  "Spanish",
  "Swedish",
  "Swiss",
  "Thai",
  "Turkish",
  "Ukrainian",
  "Vietnamese",
];
