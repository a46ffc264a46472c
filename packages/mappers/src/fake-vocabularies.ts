// Small word lists for fake values. ASCII only, so fakes fit any column and any email
// address. Their size sets how many distinct fakes a kind has: fakes are for realistic test
// data, not unique keys (hash those).

const list = (names: string): readonly string[] => names.split(",");

export const FIRST_NAMES: readonly string[] = list(
  "Ada,Aiko,Alejandro,Amara,Amir,Ana,Andrei,Anna,Arjun,Astrid,Ben,Bianca,Bruno,Carla,Carlos,Chen," +
    "Chloe,Dario,David,Diego,Elena,Elif,Emeka,Emma,Erik,Fatima,Felix,Fiona,Freya,Gabriel,Grace,Hana," +
    "Hannah,Hugo,Ines,Isaac,Ivan,Jack,Jana,Javier,Jonas,Julia,Kai,Karim,Kenji,Lara,Leila,Leo,Lina," +
    "Lucas,Luca,Maya,Mei,Mia,Mohammed,Nadia,Nina,Noah,Nora,Olga,Omar,Oscar,Paula,Pedro,Priya,Rafael," +
    "Rosa,Ruth,Sam,Sara,Sofia,Tariq,Theo,Tomas,Uma,Valentina,Victor,Yara,Yusuf,Zoe",
);

export const LAST_NAMES: readonly string[] = list(
  "Abbott,Adeyemi,Alvarez,Andersen,Bauer,Becker,Bianchi,Brown,Castro,Chen,Costa,Cruz,Dahl,Diaz," +
    "Dubois,Eriksen,Evans,Fischer,Flores,Garcia,Gomez,Gonzalez,Haddad,Hansen,Harris,Hoffmann,Horvat," +
    "Ivanova,Jansen,Jensen,Kaya,Khan,Kim,Kowalski,Kumar,Larsen,Laurent,Lee,Lopez,Martin,Meyer,Moreau," +
    "Morris,Mueller,Murphy,Nagy,Nakamura,Nguyen,Novak,Okafor,Olsen,Patel,Perez,Petrov,Popescu,Rahman," +
    "Ramos,Ricci,Rossi,Santos,Sato,Schmidt,Silva,Singh,Smith,Suzuki,Tanaka,Taylor,Torres,Varga,Vogel," +
    "Wagner,Walker,Wang,Weber,Wilson,Wong,Yilmaz,Young,Zhang",
);

export const CITIES: readonly string[] = list(
  "Aberdeen,Ashford,Bayview,Bellmont,Bridgewater,Brookfield,Cedar Falls,Clearwater,Crestwood," +
    "Dalton,Eastport,Elmstead,Fairhaven,Fallbrook,Glenwood,Greenfield,Harborview,Hillcrest,Ironwood," +
    "Kingsport,Lakeside,Linden,Maplewood,Marlow,Meadowbrook,Millbrook,Northfield,Oakridge,Old Mill," +
    "Pinehurst,Port Ellis,Queensbury,Ravenna,Redwood,Riverside,Rockport,Rosedale,Sandford,Silverton," +
    "Southgate,Springvale,Stonebridge,Summerset,Thornbury,Upton,Valemont,Westbrook,Whitby,Willowdale," +
    "Windermere,Woodhaven,Yarrow",
);

export const STREET_NAMES: readonly string[] = list(
  "Acacia,Birch,Bridge,Castle,Cedar,Chapel,Cherry,Church,Elm,Garden,Hawthorn,High,Hill,Holly," +
    "Juniper,Lake,Laurel,Linden,Maple,Market,Meadow,Mill,Oak,Orchard,Park,Pine,Poplar,Quarry,River," +
    "Rose,School,Spring,Station,Sunset,Valley,Victoria,Walnut,Willow,Windmill,York",
);

export const STREET_SUFFIXES: readonly string[] = list(
  "Street,Road,Avenue,Lane,Drive,Way,Close,Court,Place,Terrace",
);

export const COMPANY_WORDS: readonly string[] = list(
  "Apex,Arbor,Beacon,Blue Harbor,Bright,Cascade,Cobalt,Crescent,Delta,Evergreen,Falcon,Granite," +
    "Harbor,Horizon,Iron,Juniper,Keystone,Lumen,Meridian,Nimbus,Northstar,Oakline,Orbit,Pioneer," +
    "Quantum,Redwood,Sable,Summit,Tandem,Vertex",
);

export const COMPANY_SUFFIXES: readonly string[] = list(
  "Analytics,Consulting,Foods,Group,Holdings,Industries,Labs,Logistics,Media,Partners,Systems," +
    "Technologies,Trading,Ventures,Works",
);

export const COUNTRIES: readonly string[] = list(
  "Argentina,Australia,Austria,Belgium,Brazil,Canada,Chile,Colombia,Croatia,Czechia,Denmark,Egypt," +
    "Estonia,Finland,France,Germany,Ghana,Greece,Hungary,India,Indonesia,Ireland,Italy,Japan,Kenya," +
    "Mexico,Morocco,Netherlands,New Zealand,Nigeria,Norway,Peru,Poland,Portugal,Romania,Singapore," +
    "South Africa,South Korea,Spain,Sweden,Switzerland,Thailand,Turkey,Ukraine,United Kingdom," +
    "United States,Uruguay,Vietnam",
);

/** Reserved for documentation (RFC 2606): a fake address never reaches a real mailbox. */
export const EMAIL_DOMAINS: readonly string[] = ["example.com", "example.org", "example.net"];

export const TEXT_WORDS: readonly string[] = list(
  "lorem,ipsum,dolor,sit,amet,consectetur,adipiscing,elit,sed,do,eiusmod,tempor,incididunt,ut," +
    "labore,et,dolore,magna,aliqua,enim,ad,minim,veniam,quis,nostrud,exercitation,ullamco,laboris," +
    "nisi,aliquip,ex,ea,commodo,consequat,duis,aute,irure,in,reprehenderit,voluptate,velit,esse," +
    "cillum,eu,fugiat,nulla,pariatur,excepteur,sint,occaecat,cupidatat,non,proident,sunt,culpa,qui," +
    "officia,deserunt,mollit,anim,id,est,laborum,a,nam,at,vel,nec,orci,mi",
);
