PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
INSERT INTO meta VALUES('key_fingerprint','839a0a15bf9f98df919f262ad8e8c5001f1cd65c6b1867d8969e74520d5666d2');
INSERT INTO meta VALUES('journal_shape','17');
CREATE TABLE organizations (
  id INTEGER PRIMARY KEY, slug TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
  name_fold TEXT NOT NULL, country TEXT, currency TEXT) STRICT;
INSERT INTO organizations VALUES(1,'un','Union','union',NULL,NULL);
CREATE TABLE people (
  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),
  external_id TEXT, full_name TEXT NOT NULL, full_name_fold TEXT NOT NULL,
  national_id_hash BLOB, sealed BLOB,
  UNIQUE (org_id, national_id_hash), UNIQUE (org_id, external_id)) STRICT;
INSERT INTO people VALUES(1,1,NULL,'Legacy Worker 1','legacy worker 1',X'bd2340ae10ede6b2a0e518411d9e4c3139b4c90dbc84db81e44aaa14bfded5f3',X'0210373365e098fd5a016d444dba35a259020000000000000014e20d0901c3d12b4057e0fd460b650c81e68e1cc0380d3c69286fc48a862d2fa450d432005fe12439054857f2e88157aa25675c03f4cd');
INSERT INTO people VALUES(2,1,NULL,'Legacy Worker 2','legacy worker 2',X'cdf1abe0433d44d0bcb4685d64ece0701f3f0fa3625dbc399f3647fddf789c36',X'02b79efe4d099939a318879e7eadccbaad0200000000000000e1f5d967e4e03e6d445e5c4ad7e8b6690b654b9547d50d1b8933b9d7d8824b792e97d2fbaa7f95db5f624c15493f7c7d7513a46eacac82');
INSERT INTO people VALUES(3,1,NULL,'Legacy Worker 3','legacy worker 3',X'a88f2d703c04818b6ddb3feb7f6f744bc0505124085f9644bea2cde04d8093c4',X'020222397b15a9b4517ba220ce83eb6e5c0200000000000000bc8a8e0cd9f532539e55392836f8b3d23cbc4e588acbd6d46852a36e8019a5a217b5a7883c69b4a74469659cb2e04151edbe5b536389eb');
INSERT INTO people VALUES(4,1,NULL,'Legacy Worker 4','legacy worker 4',X'9d6413a4402dfb8061b0d2b79f540f8cd07a0976124e277b24bd58999f441cdf',X'02708fb3143d9d87c7d53e53628ce11e2102000000000000001ebe21cf9f188195a3ab1fdc479a64e122ccb86f5dbd471d6197cafe3519718bcbe4716a2f3c2ddd9523115bf9a96a5b39921503b3fa15');
INSERT INTO people VALUES(5,1,NULL,'Legacy Worker 5','legacy worker 5',X'5063eb0594f21dd963bc5c304d81b6638e80b305746321971f2e2fe4d761c7db',X'02bc504b8633cb0318f2da8724c73af50202000000000000002811c5976ded870399c9caec8bbddd7db05cf2dbb2b0e31a81c38a658cb5c84ae93ee4aec534e5a87952c30dfd2fde08ac1a59e79811dd');
INSERT INTO people VALUES(6,1,NULL,'Legacy Worker 6','legacy worker 6',X'6ac425ed9e1a79d6be50c7d51c75f77fdcd4ae36165699ff88e76ac4f9597bfa',X'02f4a084130d0d167b0b13a239d2a53b6c0200000000000000cd8129558cbfc858313732e16ef2cbe601581b7a2003cb7d9ca4b06682164d9140191150e925d5ca836490b41cf11ed84a588fb4dac79b');
INSERT INTO people VALUES(7,1,NULL,'Legacy Worker 7','legacy worker 7',X'89abd1ef4a205a9523a172f41b35c8bdee2d68dc7a7310e1926c217aa020a0ae',X'02fee232bd08ee1ee3e784b4fa28559cc90200000000000000b0bf6862542b96a85cd1c1da0be02f48786f20e7f2e038ba7437a1501f2509e1aac3e2dff644d2d2af43635263fa360fd5186468622b70');
INSERT INTO people VALUES(8,1,NULL,'Legacy Worker 8','legacy worker 8',X'53d9faa778caec8596d75dde31cda7241a3a950fb572fe3cb7958f86d0dee757',X'02813914c5d8e8313ee4972e5d78761b87020000000000000065cd20743d66dee83141685b77e2f02a5924711a58dab85246506d9464611a3b79d4ae0354c2839a19c484ed806f572a55476d1e329a30');
INSERT INTO people VALUES(9,1,NULL,'Legacy Worker 9','legacy worker 9',X'ec3e7acd13e41eab4417e74c89fada35556e59efe749bdc281f3cf9db022215c',X'023cb055fb264bcbbe35ccba99b3eb3aa90200000000000000745c87154a7fe8cf46cdc6a8fa2280b1189fedfba1e0e8b80eca7b0a80ffa5f9955e1979e135f04c50a15a74062ec476237bc62e335ee1');
INSERT INTO people VALUES(10,1,NULL,'Legacy Worker 10','legacy worker 10',X'a62216815e9adca8ba41b66715f1aae0fddeec884a344b1ec04466cdb90fe07b',X'028b0fffae6faf6366ead79c4b7c83c3e50200000000000000315811c2fa3a1a27c863a8ff4af6395f80f508ec284e83c0d7076fc2931816d6f198f39f3efbe3ffaad70351a894f8dab0c7c82b26c5499d');
INSERT INTO people VALUES(11,1,NULL,'Legacy Worker 11','legacy worker 11',X'977e0acb052dbf03ef4261b3ca3438defb58844e601b2743ca7b3bfc1f52adef',X'0270317949a9165d9d5c98ed36ab315f9c0200000000000000a0d557152cd8ec346b7bfa2ccdcb76116f8e95ca52f6a43603884952d635766403e8c3a7953662fecc41d03df8919a496a09e676deb2b737');
INSERT INTO people VALUES(12,1,NULL,'Legacy Worker 12','legacy worker 12',X'fb7496a47bc61429e65eaeded4d5e1b09d53ac8339ae6c88bddb150c9efc9985',X'02b00a08f8381ba9679717545b7a1cb9a80200000000000000c72cbcd9cbb7059cff1e1f9fe3120953c6daed4af0e16048fdb795dca00b2cba1631bec959b4f0661633e418e181f26b12f20346d9857080');
CREATE TABLE employers (
  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),
  name TEXT NOT NULL, name_fold TEXT NOT NULL, country TEXT, tax_id TEXT) STRICT;
CREATE TABLE workplaces (
  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),
  employer_id INTEGER NOT NULL REFERENCES employers(id), name TEXT NOT NULL,
  name_fold TEXT NOT NULL, city TEXT, kind TEXT) STRICT;
CREATE TABLE employments (
  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),
  person_id INTEGER NOT NULL REFERENCES people(id),
  employer_id INTEGER NOT NULL REFERENCES employers(id),
  workplace_id INTEGER REFERENCES workplaces(id), job_title TEXT,
  hired TEXT NOT NULL, terminated TEXT, termination_reason TEXT,
  wage_minor INTEGER, benefits_minor INTEGER, currency TEXT,
  underground INTEGER NOT NULL, notice_served INTEGER NOT NULL, accruals_12m_minor INTEGER, days_worked_12m INTEGER, unused_leave_days INTEGER) STRICT;
CREATE TABLE memberships (
  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),
  person_id INTEGER NOT NULL REFERENCES people(id),
  organization_id INTEGER NOT NULL REFERENCES organizations(id),
  joined_on TEXT, left_on TEXT, role TEXT) STRICT;
CREATE TABLE journal (
  seq INTEGER PRIMARY KEY, ts TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
  entity TEXT NOT NULL, entity_id INTEGER NOT NULL, org_id INTEGER, person_id INTEGER,
  before_json TEXT, after_json TEXT, row_hash BLOB, prev_hash BLOB NOT NULL,
  hash BLOB NOT NULL) STRICT;
INSERT INTO journal VALUES(1,'2026-12-05T19:56:14.875Z','cli:root','create','organization',1,1,NULL,NULL,'{"id":1,"slug":"un","name":"Union","country":null,"currency":null}',X'44b52c792c6e78d1143d030044d9483db62a1eee8c48e1b615fe506ff1b29e41',X'0000000000000000000000000000000000000000000000000000000000000000',X'2990b0f6fcb5caa5ce1eb1d03989f606b803c920228965832cd3a0dbe368f0f4');
INSERT INTO journal VALUES(2,'2026-12-05T19:56:15.130Z','cli:root','create','person',1,1,1,NULL,'{"id":1,"org_id":1,"external_id":null,"full_name":"Legacy Worker 1","national_id":"[sealed]","birth_date":null,"phone":"[sealed]","address":"[sealed]","birth_place":null}',X'c9255bd59a8adf07716705e25a4e9c01ff99eb99939efe1f35551d3b7d20be95',X'2990b0f6fcb5caa5ce1eb1d03989f606b803c920228965832cd3a0dbe368f0f4',X'70b6809f1804eeed034eadff6b5b2622a0955b7c505654703223838b94036a9a');
INSERT INTO journal VALUES(3,'2026-12-05T19:56:15.279Z','cli:root','create','person',2,1,2,NULL,'{"id":2,"org_id":1,"external_id":null,"full_name":"Legacy Worker 2","national_id":"[sealed]","birth_date":null,"phone":"[sealed]","address":"[sealed]","birth_place":null}',X'96810b839845170791363fd13ab168f280db01112b9bf304f53b27124cdb8e37',X'70b6809f1804eeed034eadff6b5b2622a0955b7c505654703223838b94036a9a',X'918eae904b11761f074474b7383daa35c07463ee5dc0913028729aa8768853e8');
INSERT INTO journal VALUES(4,'2026-12-05T19:56:15.469Z','cli:root','create','person',3,1,3,NULL,'{"id":3,"org_id":1,"external_id":null,"full_name":"Legacy Worker 3","national_id":"[sealed]","birth_date":null,"phone":"[sealed]","address":"[sealed]","birth_place":null}',X'ace23c5aeb5835521b2671817dee7ad4f2752685386dc414bc62d2cb2fdfbf23',X'918eae904b11761f074474b7383daa35c07463ee5dc0913028729aa8768853e8',X'5bc0498265a56f01188b289c9efa1d66c776f946e7622c34c38dedb98c6c3a36');
INSERT INTO journal VALUES(5,'2026-12-05T19:56:15.633Z','cli:root','create','person',4,1,4,NULL,'{"id":4,"org_id":1,"external_id":null,"full_name":"Legacy Worker 4","national_id":"[sealed]","birth_date":null,"phone":"[sealed]","address":"[sealed]","birth_place":null}',X'fa75d94316e9fe28f9f53032f6d53c29d63b76129e62cfc7fd6a4db1a906b4d7',X'5bc0498265a56f01188b289c9efa1d66c776f946e7622c34c38dedb98c6c3a36',X'95abf6f9b630a03627ba29fc1735a9edb300f1ce1e903161d5308e0051123e7b');
INSERT INTO journal VALUES(6,'2026-12-05T19:56:15.783Z','cli:root','create','person',5,1,5,NULL,'{"id":5,"org_id":1,"external_id":null,"full_name":"Legacy Worker 5","national_id":"[sealed]","birth_date":null,"phone":"[sealed]","address":"[sealed]","birth_place":null}',X'97d35f3051ec9d1412a224b5b994fa1850d2bde8477620ede04e72e65c87a46f',X'95abf6f9b630a03627ba29fc1735a9edb300f1ce1e903161d5308e0051123e7b',X'65aa6a3473be758839138c6717ddf7d59a4680f56d8b397da5306ad33cfef437');
INSERT INTO journal VALUES(7,'2026-12-05T19:56:15.914Z','cli:root','create','person',6,1,6,NULL,'{"id":6,"org_id":1,"external_id":null,"full_name":"Legacy Worker 6","national_id":"[sealed]","birth_date":null,"phone":"[sealed]","address":"[sealed]","birth_place":null}',X'2ebbfeca288208b03804eb85faddeecf21b60f4b0df305d5697871075ecd2fbc',X'65aa6a3473be758839138c6717ddf7d59a4680f56d8b397da5306ad33cfef437',X'a912ce798fb55401bc8e396a37e7df23c66e5589bd26e1d70fc9ee94bd84b2c8');
INSERT INTO journal VALUES(8,'2026-12-05T19:56:16.001Z','cli:root','create','person',7,1,7,NULL,'{"id":7,"org_id":1,"external_id":null,"full_name":"Legacy Worker 7","national_id":"[sealed]","birth_date":null,"phone":"[sealed]","address":"[sealed]","birth_place":null}',X'd2e40e5b96b1fa87c2b257b7d5524890903c6c7c6fcca6b7b90130884b011cb9',X'a912ce798fb55401bc8e396a37e7df23c66e5589bd26e1d70fc9ee94bd84b2c8',X'c35e41a0ebce5c9bf9e079cec824988ac2a8e3fe4b55446247b5740bf5c7a6a5');
INSERT INTO journal VALUES(9,'2026-12-05T19:56:16.107Z','cli:root','create','person',8,1,8,NULL,'{"id":8,"org_id":1,"external_id":null,"full_name":"Legacy Worker 8","national_id":"[sealed]","birth_date":null,"phone":"[sealed]","address":"[sealed]","birth_place":null}',X'b3a81f431ecf9f5e77dbc66f5bfb12725e7e1b852800689ba409aa6ca2b87b7f',X'c35e41a0ebce5c9bf9e079cec824988ac2a8e3fe4b55446247b5740bf5c7a6a5',X'4f61b5060622d7287116c53782f2c591ded43393f3994134961dac76e4dffbe6');
INSERT INTO journal VALUES(10,'2026-12-05T19:56:16.255Z','cli:root','create','person',9,1,9,NULL,'{"id":9,"org_id":1,"external_id":null,"full_name":"Legacy Worker 9","national_id":"[sealed]","birth_date":null,"phone":"[sealed]","address":"[sealed]","birth_place":null}',X'a6723ada59cb6d36def9f6dda46055c7f7df73de04fd52fe1c194b5a04f3a28a',X'4f61b5060622d7287116c53782f2c591ded43393f3994134961dac76e4dffbe6',X'e67610023271e99340c1f4b5b1976872023ed5551b37abef31ec22194f182e2d');
INSERT INTO journal VALUES(11,'2026-12-05T19:56:16.431Z','cli:root','create','person',10,1,10,NULL,'{"id":10,"org_id":1,"external_id":null,"full_name":"Legacy Worker 10","national_id":"[sealed]","birth_date":null,"phone":"[sealed]","address":"[sealed]","birth_place":null}',X'c0ff7550ce51761996da6cff20524950ef5db3cf200b58d058fb0789fdb74e46',X'e67610023271e99340c1f4b5b1976872023ed5551b37abef31ec22194f182e2d',X'9674942a4e9e28342b0140ff26a9135b9768d87629981af6ffbd3fb1fa2aa920');
INSERT INTO journal VALUES(12,'2026-12-05T19:56:16.590Z','cli:root','create','person',11,1,11,NULL,'{"id":11,"org_id":1,"external_id":null,"full_name":"Legacy Worker 11","national_id":"[sealed]","birth_date":null,"phone":"[sealed]","address":"[sealed]","birth_place":null}',X'e1d964d14be71d06297a605ea91729274fcef5155b5c13b0bdfee53f6199ea0d',X'9674942a4e9e28342b0140ff26a9135b9768d87629981af6ffbd3fb1fa2aa920',X'2b50c852d0a11782b482baa3bca45111744f17876dfca9304f59fef8db9ffe54');
INSERT INTO journal VALUES(13,'2026-12-05T19:56:16.755Z','cli:root','create','person',12,1,12,NULL,'{"id":12,"org_id":1,"external_id":null,"full_name":"Legacy Worker 12","national_id":"[sealed]","birth_date":null,"phone":"[sealed]","address":"[sealed]","birth_place":null}',X'435762b1a5d7488fc43c802da15e2a804a3a2bec8bb4e182d45cbc1eb5ac3d5a',X'2b50c852d0a11782b482baa3bca45111744f17876dfca9304f59fef8db9ffe54',X'eb1294f39609875325b5145af064e39fb5e61bdd32d2dc30389cde755b5b57fb');
INSERT INTO journal VALUES(14,'2026-12-05T19:56:16.835Z','cli:root','create','incident',1,1,NULL,NULL,'{"id":1,"org_id":1,"type":"raid","started_on":"2011-05-03","ended_on":null,"place":"[sealed]","region":null,"summary":"[sealed]","handling":"restricted","action_id":null,"stage_id":null}',X'c8ce249d7f23a93f64f78b7f7806405e9706768f9d856403abacb2bf63e9ba1d',X'eb1294f39609875325b5145af064e39fb5e61bdd32d2dc30389cde755b5b57fb',X'04f1917463383822a9bae61a8c85e239a4f45c7ed27b86d663bd6b43cbf62078');
INSERT INTO journal VALUES(15,'2026-12-05T19:56:16.921Z','cli:root','create','detention',1,1,1,NULL,'{"id":1,"org_id":1,"person_id":1,"incident_id":1,"arrested_at":"2011-05-03T10:01:00Z","arresting_body":"[sealed]","held_at":"[sealed]","whereabouts":"unknown","whereabouts_since":"2011-05-03T10:01:00Z","lawyer_access":false,"released_at":null,"release_kind":null,"handling":"restricted"}',X'be825a2125d773585905da3ecd39238094c4e3b33bf975793c1d57cfa35f20d1',X'04f1917463383822a9bae61a8c85e239a4f45c7ed27b86d663bd6b43cbf62078',X'17bb93874d3828bb4e7fb1a2bfec6c862707d3d4e2b142a6fa7dfafaa95de412');
INSERT INTO journal VALUES(16,'2026-12-05T19:56:17.033Z','cli:root','create','detention',2,1,2,NULL,'{"id":2,"org_id":1,"person_id":2,"incident_id":1,"arrested_at":"2011-05-03T10:02:00Z","arresting_body":"[sealed]","held_at":"[sealed]","whereabouts":"unknown","whereabouts_since":"2011-05-03T10:02:00Z","lawyer_access":false,"released_at":null,"release_kind":null,"handling":"restricted"}',X'29c650fa46ad1965a05c4d20fef11b54cc6dcb9a7599534bac70c66dfe26f51a',X'17bb93874d3828bb4e7fb1a2bfec6c862707d3d4e2b142a6fa7dfafaa95de412',X'4e3d05cfa0a9de8d662295adca497f8a5ee873349c407ec472ec00cccaf7fd03');
INSERT INTO journal VALUES(17,'2026-12-05T19:56:17.146Z','cli:root','create','detention',3,1,3,NULL,'{"id":3,"org_id":1,"person_id":3,"incident_id":1,"arrested_at":"2011-05-03T10:03:00Z","arresting_body":"[sealed]","held_at":"[sealed]","whereabouts":"unknown","whereabouts_since":"2011-05-03T10:03:00Z","lawyer_access":false,"released_at":null,"release_kind":null,"handling":"restricted"}',X'd8b97a460b8a03e3931df56ae31c44cc113afd6e185ef85c5e360ac19c832e16',X'4e3d05cfa0a9de8d662295adca497f8a5ee873349c407ec472ec00cccaf7fd03',X'485357c96f082bb0e8178019dc11c6845012bea77fb49a5d6e05e5253c695b56');
INSERT INTO journal VALUES(18,'2026-12-05T19:56:17.274Z','cli:root','create','detention',4,1,4,NULL,'{"id":4,"org_id":1,"person_id":4,"incident_id":1,"arrested_at":"2011-05-03T10:04:00Z","arresting_body":"[sealed]","held_at":"[sealed]","whereabouts":"unknown","whereabouts_since":"2011-05-03T10:04:00Z","lawyer_access":false,"released_at":null,"release_kind":null,"handling":"restricted"}',X'f1d1501c0476860d57a227365d3628ae4c856e2fe49ba0e187190c3e16e0cc4f',X'485357c96f082bb0e8178019dc11c6845012bea77fb49a5d6e05e5253c695b56',X'd232dc7e93f8e87ab868c0c1b6bd3df2ec662374c87b1cf9bc2d94b6653c5e93');
INSERT INTO journal VALUES(19,'2026-12-05T19:56:17.399Z','cli:root','create','detention',5,1,5,NULL,'{"id":5,"org_id":1,"person_id":5,"incident_id":1,"arrested_at":"2011-05-03T10:05:00Z","arresting_body":"[sealed]","held_at":"[sealed]","whereabouts":"unknown","whereabouts_since":"2011-05-03T10:05:00Z","lawyer_access":false,"released_at":null,"release_kind":null,"handling":"restricted"}',X'e848a142a4edac5c5ccbcb891faa628f18e94a439bb74ff1da45565e6636e8ee',X'd232dc7e93f8e87ab868c0c1b6bd3df2ec662374c87b1cf9bc2d94b6653c5e93',X'e4cfd97d60e6459dedc2426fca55facb76e1450a095f183c0187be11b5121e74');
INSERT INTO journal VALUES(20,'2026-12-05T19:56:17.513Z','cli:root','create','detention',6,1,6,NULL,'{"id":6,"org_id":1,"person_id":6,"incident_id":1,"arrested_at":"2011-05-03T10:06:00Z","arresting_body":"[sealed]","held_at":"[sealed]","whereabouts":"unknown","whereabouts_since":"2011-05-03T10:06:00Z","lawyer_access":false,"released_at":null,"release_kind":null,"handling":"restricted"}',X'ab3a60b32c5735ce194c697e3c4cdb672654680c6971f1c12e28428363b04080',X'e4cfd97d60e6459dedc2426fca55facb76e1450a095f183c0187be11b5121e74',X'419ca6bbf7db49e9563b4a6436276cc6d497e72d862a61d9c651574dc74a53c0');
INSERT INTO journal VALUES(21,'2026-12-05T19:56:17.644Z','cli:root','create','case',1,1,1,NULL,'{"id":1,"org_id":1,"person_id":1,"incident_id":1,"charges":"[sealed]","court":null,"case_number":null,"custody_since":null,"verdict":"pending","verdict_on":null,"sentence":null,"sentence_months":null,"expected_release":null,"released_on":null,"appeal":null,"lawyer":"[sealed]","handling":"restricted"}',X'82d5a0d43c3e4c667e01da0f970bcd6dc81a20e8ff6dc5f6ab31144a5bff3ee7',X'419ca6bbf7db49e9563b4a6436276cc6d497e72d862a61d9c651574dc74a53c0',X'fa4ddcb1f862f4550f1ff90efc5d3fd18ffae5be176da13c73d74e46fbf4644c');
INSERT INTO journal VALUES(22,'2026-12-05T19:56:17.750Z','cli:root','create','report',1,1,NULL,NULL,'{"id":1,"org_id":1,"incident_id":1,"received_on":"2011-05-04","channel":null,"connection":"victim","reliability":"a","credibility":"2","language":null,"source":"[sealed]","text":"[sealed]","handling":"restricted"}',X'c6ca7ebee271be3e62cf31aead5481005fe30dceebefebd5d404e7ca340a90d0',X'fa4ddcb1f862f4550f1ff90efc5d3fd18ffae5be176da13c73d74e46fbf4644c',X'd00e73188b1d7c39fa3c6e5b9646b2e6e6dee6ce849ecd6d8ad9d5cade18a3c6');
INSERT INTO journal VALUES(23,'2026-12-05T19:56:17.855Z','cli:root','create','assessment',1,1,NULL,NULL,'{"id":1,"org_id":1,"subject":"incident","subject_id":1,"level":"r1","reason":"[sealed]","assessed_on":"2026-12-05"}',X'1994683e7ecc55714fe8518503d12a218feba99f699cdd05c1ccdb6d87f5d70d',X'd00e73188b1d7c39fa3c6e5b9646b2e6e6dee6ce849ecd6d8ad9d5cade18a3c6',X'f341594c03e2061b2345cc95830588af8fd8cd02344bc5a56105fb71e40d1d7d');
INSERT INTO journal VALUES(24,'2026-12-05T19:56:17.943Z','cli:root','create','fund',1,1,NULL,NULL,'{"id":1,"org_id":1,"name":"Strike fund","currency":null,"approval_threshold_minor":500000,"note":null,"strike_pay_weekly_minor":null}',X'6b888688be8c8af60610e11e0515b33ea2f97ebf921337aff52d0fdd771d5e64',X'f341594c03e2061b2345cc95830588af8fd8cd02344bc5a56105fb71e40d1d7d',X'2d71035a2acd9aae0a805c910d3d2f1e067e38c7fc61768bb4311a5c7436beb4');
INSERT INTO journal VALUES(25,'2026-12-05T19:56:17.943Z','cli:root','create','account',1,1,NULL,NULL,'{"id":1,"org_id":1,"fund_id":1,"name":"assets:cash","kind":"asset","currency":null,"no_negative":true,"person_id":null}',X'6c239c34353e59d8f031ce9a9c52e9d20c5a084f0b7e10a7a9f2af27f268c45f',X'2d71035a2acd9aae0a805c910d3d2f1e067e38c7fc61768bb4311a5c7436beb4',X'be54c6ae26136f0eb55ce98381308765001fd9036402131839cf72f2e7875544');
INSERT INTO journal VALUES(26,'2026-12-05T19:56:17.944Z','cli:root','create','account',2,1,NULL,NULL,'{"id":2,"org_id":1,"fund_id":1,"name":"assets:bank","kind":"asset","currency":null,"no_negative":true,"person_id":null}',X'e8b4f0dca182b65db7a1a99d0d7a3346f6bd80659ffbd36eb92357ffda76f2e5',X'be54c6ae26136f0eb55ce98381308765001fd9036402131839cf72f2e7875544',X'518f7547f61995b7acb84b4769a4751248f2c48159c73949d178392504c78784');
INSERT INTO journal VALUES(27,'2026-12-05T19:56:17.944Z','cli:root','create','account',3,1,NULL,NULL,'{"id":3,"org_id":1,"fund_id":1,"name":"assets:in-kind","kind":"asset","currency":null,"no_negative":false,"person_id":null}',X'0f3651112feee53c09c185f2e53f80cf954cf498aa1d91ff6514276175f9ac1e',X'518f7547f61995b7acb84b4769a4751248f2c48159c73949d178392504c78784',X'5e41c96c84b200d77fdf929cb121c962cff308e9595d510cb263b846d7f9ae86');
INSERT INTO journal VALUES(28,'2026-12-05T19:56:17.944Z','cli:root','create','account',4,1,NULL,NULL,'{"id":4,"org_id":1,"fund_id":1,"name":"income:contributions","kind":"income","currency":null,"no_negative":false,"person_id":null}',X'49f88429af8f5d5eb4f139d5f9055f2ff73bc723737ec9fca533718605d475d6',X'5e41c96c84b200d77fdf929cb121c962cff308e9595d510cb263b846d7f9ae86',X'b17c768949259a58b9ad74c60c764e4510e7f347f3067d4c28d1e619be912e27');
INSERT INTO journal VALUES(29,'2026-12-05T19:56:17.944Z','cli:root','create','account',5,1,NULL,NULL,'{"id":5,"org_id":1,"fund_id":1,"name":"income:payroll","kind":"income","currency":null,"no_negative":false,"person_id":null}',X'dc319933c23d5887b7c6549cf5e919ebf78f8b7a214092e3345a6b6154a03a01',X'b17c768949259a58b9ad74c60c764e4510e7f347f3067d4c28d1e619be912e27',X'fa9f102dd81b7b01b7912266791e32065c5a86d3dfca77281dbcd6da235dd533');
INSERT INTO journal VALUES(30,'2026-12-05T19:56:17.944Z','cli:root','create','account',6,1,NULL,NULL,'{"id":6,"org_id":1,"fund_id":1,"name":"income:in-kind","kind":"income","currency":null,"no_negative":false,"person_id":null}',X'56a3d6593537063e0b8dbe3dd2894359c6fb5ff6882c6c40cacd33ec25652d9e',X'fa9f102dd81b7b01b7912266791e32065c5a86d3dfca77281dbcd6da235dd533',X'10cc1b049a5872c9ce16ab2b14cb45c22ccd0493248d2db7dc447fc02ab72383');
INSERT INTO journal VALUES(31,'2026-12-05T19:56:17.944Z','cli:root','create','account',7,1,NULL,NULL,'{"id":7,"org_id":1,"fund_id":1,"name":"expenses:strike-pay","kind":"expense","currency":null,"no_negative":false,"person_id":null}',X'e9f7145510ba6f1429e0212805ccdc03c98e0b920fc42b3b9f332a6e94e0678e',X'10cc1b049a5872c9ce16ab2b14cb45c22ccd0493248d2db7dc447fc02ab72383',X'c55825e938af40ea8ac2ac489c7fe23a6c8ab3168c7f094358fba0c1d4cbcb0f');
INSERT INTO journal VALUES(32,'2026-12-05T19:56:17.944Z','cli:root','create','account',8,1,NULL,NULL,'{"id":8,"org_id":1,"fund_id":1,"name":"expenses:family-support","kind":"expense","currency":null,"no_negative":false,"person_id":null}',X'f46276057b26bf82e4a5888c3a12b835c5569b0e1d7ea5d72142a1d0d1cfcae9',X'c55825e938af40ea8ac2ac489c7fe23a6c8ab3168c7f094358fba0c1d4cbcb0f',X'f4c5de5f3c9b822aaeb1a0b0fb1527d8dec6404daf5b0b994d11fdf19f519454');
INSERT INTO journal VALUES(33,'2026-12-05T19:56:17.944Z','cli:root','create','account',9,1,NULL,NULL,'{"id":9,"org_id":1,"fund_id":1,"name":"expenses:legal","kind":"expense","currency":null,"no_negative":false,"person_id":null}',X'c6e862adcb6d6f260151ccd599041a913fd375e823bab6b53d5e1d150503cb21',X'f4c5de5f3c9b822aaeb1a0b0fb1527d8dec6404daf5b0b994d11fdf19f519454',X'6044753f729933aeeedacb7818e060fb45623909bf9f0e5b8c152a985b524385');
INSERT INTO journal VALUES(34,'2026-12-05T19:56:17.944Z','cli:root','create','account',10,1,NULL,NULL,'{"id":10,"org_id":1,"fund_id":1,"name":"expenses:other","kind":"expense","currency":null,"no_negative":false,"person_id":null}',X'1664ac7988f56cca17c97f2d683eff3641d067936dbf6df067beef924c024ca4',X'6044753f729933aeeedacb7818e060fb45623909bf9f0e5b8c152a985b524385',X'90f9b54f448484c4ed2cb5cb8e6aa6f616800d813e9eebc488df993568daa9e6');
INSERT INTO journal VALUES(35,'2026-12-05T19:56:17.944Z','cli:root','create','account',11,1,NULL,NULL,'{"id":11,"org_id":1,"fund_id":1,"name":"liabilities:support-payable","kind":"liability","currency":null,"no_negative":false,"person_id":null}',X'2f93773d1a2e690a5dd75bf7dfacc43a4e2fdaf7908e0d6166958439804e6e1b',X'90f9b54f448484c4ed2cb5cb8e6aa6f616800d813e9eebc488df993568daa9e6',X'82c837fb4ef3be7198489a9a0dd04f40aa314ca8438138e72eddb525cadac1d3');
INSERT INTO journal VALUES(36,'2026-12-05T19:56:17.944Z','cli:root','create','account',12,1,NULL,NULL,'{"id":12,"org_id":1,"fund_id":1,"name":"equity:opening","kind":"equity","currency":null,"no_negative":false,"person_id":null}',X'7b29a53b12ea494fd31eb8d82e32b74a4deaed755717221e37f2f4bfa60cf55f',X'82c837fb4ef3be7198489a9a0dd04f40aa314ca8438138e72eddb525cadac1d3',X'4175e42c6d9e4aeb74f136550b246be17cb45c56f379290b435f03c747a2c0b2');
INSERT INTO journal VALUES(37,'2026-12-05T19:56:18.081Z','cli:root','transfers','fund',1,1,NULL,NULL,'{"transfers":1,"first_seq":1,"last_seq":1,"head":"ab5e05a33818121142a883a9d2973baeeb8517c0981ce29cecb5bf321c9ed3ad"}',NULL,X'4175e42c6d9e4aeb74f136550b246be17cb45c56f379290b435f03c747a2c0b2',X'a1e2e45c35d43df473c162c95ded061f9b9db31e06b337f22e64ea88ce5b9c61');
INSERT INTO journal VALUES(38,'2026-12-05T19:56:18.218Z','cli:root','transfers','fund',1,1,NULL,NULL,'{"transfers":1,"first_seq":2,"last_seq":2,"head":"4ee057254f9490cf5e1c56e169d7bc8cee7e7f0b36f4c8130c6aeb30423a173e"}',NULL,X'a1e2e45c35d43df473c162c95ded061f9b9db31e06b337f22e64ea88ce5b9c61',X'571b616372705aa663f0421387449b8abf510badc81456624c94667487cad561');
INSERT INTO journal VALUES(39,'2026-12-05T19:56:18.353Z','cli:root','forget','person',12,1,12,NULL,'{"reason":"asked to be forgotten","destroyed":"the person''s key: their sealed fields"}',NULL,X'571b616372705aa663f0421387449b8abf510badc81456624c94667487cad561',X'c9adede7c12af919f043babb796cc85f0de9a0568d95cad47b638b4aea5815f5');
CREATE TABLE claims (
  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),
  person_id INTEGER NOT NULL REFERENCES people(id),
  employment_id INTEGER REFERENCES employments(id), kind TEXT NOT NULL,
  amount_minor INTEGER NOT NULL, currency TEXT, basis TEXT, rules_version TEXT, inputs TEXT,
  document_ref TEXT, status TEXT, limitation_date TEXT, note TEXT) STRICT;
CREATE TABLE promises (
  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),
  promisor_kind TEXT NOT NULL, promisor_name TEXT NOT NULL, promisor_name_fold TEXT NOT NULL,
  workplace_id INTEGER REFERENCES workplaces(id), person_id INTEGER REFERENCES people(id),
  kinds TEXT, amount_minor INTEGER, currency TEXT, made_on TEXT NOT NULL, due_on TEXT NOT NULL,
  document_ref TEXT, note TEXT) STRICT;
CREATE TABLE payments (
  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),
  person_id INTEGER NOT NULL REFERENCES people(id), promise_id INTEGER REFERENCES promises(id),
  payer_kind TEXT NOT NULL, payer_name TEXT NOT NULL, paid_on TEXT NOT NULL,
  amount_minor INTEGER NOT NULL, currency TEXT, reference TEXT, idempotency_key TEXT,
  reverses_id INTEGER UNIQUE REFERENCES payments(id), note TEXT,
  UNIQUE (org_id, idempotency_key)) STRICT;
CREATE TABLE users (
  id INTEGER PRIMARY KEY, username TEXT NOT NULL UNIQUE, disabled INTEGER NOT NULL,
  sealed BLOB) STRICT;
CREATE TABLE roles (
  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),
  user_id INTEGER NOT NULL REFERENCES users(id), role TEXT NOT NULL,
  UNIQUE (org_id, user_id)) STRICT;
CREATE TABLE sessions (
  id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id),
  token_hash BLOB NOT NULL UNIQUE, csrf TEXT NOT NULL, expires_at TEXT NOT NULL) STRICT;
CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id), name TEXT NOT NULL,
  token_hash BLOB NOT NULL UNIQUE, created_at TEXT NOT NULL) STRICT;
CREATE TABLE login_attempts (
  id INTEGER PRIMARY KEY, username TEXT NOT NULL, at TEXT NOT NULL, ok INTEGER NOT NULL) STRICT;
CREATE TABLE funds (
  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),
  name TEXT NOT NULL, name_fold TEXT NOT NULL, currency TEXT, approval_threshold_minor INTEGER,
  note TEXT, strike_pay_weekly_minor INTEGER) STRICT;
INSERT INTO funds VALUES(1,1,'Strike fund','strike fund',NULL,500000,NULL,NULL);
CREATE TABLE accounts (
  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),
  fund_id INTEGER NOT NULL REFERENCES funds(id), name TEXT NOT NULL, name_fold TEXT NOT NULL,
  kind TEXT NOT NULL, currency TEXT, no_negative INTEGER NOT NULL,
  person_id INTEGER REFERENCES people(id), UNIQUE (fund_id, name)) STRICT;
INSERT INTO accounts VALUES(1,1,1,'assets:cash','assets:cash','asset',NULL,1,NULL);
INSERT INTO accounts VALUES(2,1,1,'assets:bank','assets:bank','asset',NULL,1,NULL);
INSERT INTO accounts VALUES(3,1,1,'assets:in-kind','assets:in-kind','asset',NULL,0,NULL);
INSERT INTO accounts VALUES(4,1,1,'income:contributions','income:contributions','income',NULL,0,NULL);
INSERT INTO accounts VALUES(5,1,1,'income:payroll','income:payroll','income',NULL,0,NULL);
INSERT INTO accounts VALUES(6,1,1,'income:in-kind','income:in-kind','income',NULL,0,NULL);
INSERT INTO accounts VALUES(7,1,1,'expenses:strike-pay','expenses:strike-pay','expense',NULL,0,NULL);
INSERT INTO accounts VALUES(8,1,1,'expenses:family-support','expenses:family-support','expense',NULL,0,NULL);
INSERT INTO accounts VALUES(9,1,1,'expenses:legal','expenses:legal','expense',NULL,0,NULL);
INSERT INTO accounts VALUES(10,1,1,'expenses:other','expenses:other','expense',NULL,0,NULL);
INSERT INTO accounts VALUES(11,1,1,'liabilities:support-payable','liabilities:support-payable','liability',NULL,0,NULL);
INSERT INTO accounts VALUES(12,1,1,'equity:opening','equity:opening','equity',NULL,0,NULL);
CREATE TABLE transfers (
  seq INTEGER PRIMARY KEY, id TEXT NOT NULL, org_id INTEGER NOT NULL, fund_id INTEGER NOT NULL,
  debit_account_id INTEGER NOT NULL, credit_account_id INTEGER NOT NULL, amount_minor INTEGER NOT NULL,
  currency TEXT NOT NULL, code TEXT NOT NULL, flags INTEGER NOT NULL, pending_id TEXT, timeout_at TEXT,
  ts TEXT NOT NULL, value_date TEXT NOT NULL, actor TEXT NOT NULL, memo TEXT, party BLOB,
  prev_hash BLOB NOT NULL, hash BLOB NOT NULL, UNIQUE (org_id, id)) STRICT;
INSERT INTO transfers VALUES(1,'lg-1',1,1,1,4,10000,'','contribution',0,NULL,NULL,'2026-12-05T19:56:18Z','2026-12-05','cli:root',NULL,X'016ca9580dc8fcdf57e9e25a3ebc20c7b00100000000000000407054db4d16fd18168769cdb4654d454736a406dc18ac4d6280eea7',X'0000000000000000000000000000000000000000000000000000000000000000',X'ab5e05a33818121142a883a9d2973baeeb8517c0981ce29cecb5bf321c9ed3ad');
INSERT INTO transfers VALUES(2,'lg-2',1,1,1,4,20000,'','contribution',0,NULL,NULL,'2026-12-05T19:56:18Z','2026-12-05','cli:root',NULL,X'011d035aa3a2a6372651cdb707557baeec0100000000000000f87ccf046d2568a3bbc02328d454f7f47248e549462094baf06fa104',X'ab5e05a33818121142a883a9d2973baeeb8517c0981ce29cecb5bf321c9ed3ad',X'4ee057254f9490cf5e1c56e169d7bc8cee7e7f0b36f4c8130c6aeb30423a173e');
CREATE TABLE balances (
  account_id INTEGER PRIMARY KEY REFERENCES accounts(id), debits_posted INTEGER NOT NULL,
  credits_posted INTEGER NOT NULL, debits_pending INTEGER NOT NULL, credits_pending INTEGER NOT NULL) STRICT;
INSERT INTO balances VALUES(1,30000,0,0,0);
INSERT INTO balances VALUES(4,0,30000,0,0);
CREATE TABLE pledges (
  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),
  fund_id INTEGER NOT NULL REFERENCES funds(id), label TEXT NOT NULL, label_fold TEXT NOT NULL,
  monthly_minor INTEGER NOT NULL, start_month TEXT NOT NULL, end_month TEXT, sealed BLOB) STRICT;
CREATE TABLE person_links (
  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),
  person_a INTEGER NOT NULL REFERENCES people(id), person_b INTEGER NOT NULL REFERENCES people(id),
  decision TEXT NOT NULL, reason TEXT, UNIQUE (org_id, person_a, person_b)) STRICT;
CREATE TABLE evidence (
  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),
  sha256 TEXT NOT NULL, size INTEGER NOT NULL, filename TEXT, captured_on TEXT, handling TEXT,
  sealed BLOB, kind TEXT, UNIQUE (org_id, sha256)) STRICT;
CREATE TABLE evidence_custody (
  seq INTEGER PRIMARY KEY, org_id INTEGER NOT NULL, evidence_id INTEGER NOT NULL REFERENCES evidence(id),
  event TEXT NOT NULL, ts TEXT NOT NULL, actor TEXT NOT NULL, detail TEXT,
  prev_hash BLOB NOT NULL, hash BLOB NOT NULL) STRICT;
CREATE TABLE incidents (
  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),
  type TEXT NOT NULL, started_on TEXT NOT NULL, ended_on TEXT, place TEXT, region TEXT, summary TEXT,
  handling TEXT, action_id INTEGER REFERENCES actions(id), stage_id INTEGER REFERENCES action_stages(id), sealed BLOB) STRICT;
INSERT INTO incidents VALUES(1,1,'raid','2011-05-03',NULL,NULL,NULL,NULL,'restricted',NULL,NULL,X'01941765b3238ae5d1dd7a79256f63de750100000000000000e9225dcecf02748caeca65bc072109c387e7d64892ffbc09e9ab1aef932297241f019ed989dfe068c9c80a6dfa4eac8de38a000a0109e7a6');
CREATE TABLE violations (
  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),
  incident_id INTEGER NOT NULL REFERENCES incidents(id), type TEXT NOT NULL,
  person_id INTEGER REFERENCES people(id), victims_low INTEGER, victims_high INTEGER, occurred_on TEXT,
  method TEXT, involvement TEXT, handling TEXT, sealed BLOB) STRICT;
CREATE TABLE assessments (
  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),
  subject TEXT NOT NULL, subject_id INTEGER NOT NULL, level TEXT NOT NULL, reason TEXT NOT NULL,
  assessed_on TEXT, sealed BLOB) STRICT;
INSERT INTO assessments VALUES(1,1,'incident',1,'r1','','2026-12-05',X'01b145a40e313dee98a6db47f56501a6a2010000000000000021377542c20284aabbf93132fba5dd2d88a6a8a052afc6cd066b49b1604b4259a45b4b671b2f');
CREATE TABLE legal_cases (
  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),
  person_id INTEGER NOT NULL REFERENCES people(id), incident_id INTEGER REFERENCES incidents(id),
  charges TEXT NOT NULL, court TEXT, case_number TEXT, custody_since TEXT, verdict TEXT, verdict_on TEXT,
  sentence TEXT, sentence_months INTEGER, expected_release TEXT, released_on TEXT, appeal TEXT,
  handling TEXT, sealed BLOB) STRICT;
INSERT INTO legal_cases VALUES(1,1,1,1,'',NULL,NULL,NULL,'pending',NULL,NULL,NULL,NULL,NULL,NULL,'restricted',X'017a77f63a5539043c20e6e159cdcb76b00100000000000000c1fc57622a19b42196840f497cc2ef2564f70deeb0a14a0cd4c26355689e5512b6caf283d9176ac432512ded179241093c128fe7525d7b');
CREATE TABLE reports (
  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),
  incident_id INTEGER NOT NULL REFERENCES incidents(id), received_on TEXT NOT NULL, channel TEXT,
  connection TEXT NOT NULL, reliability TEXT NOT NULL, credibility TEXT NOT NULL, language TEXT,
  handling TEXT, sealed BLOB) STRICT;
INSERT INTO reports VALUES(1,1,1,'2011-05-04',NULL,'victim','a','2',NULL,'restricted',X'0102eb9d9c7d35b62cbc0dc96ff928060401000000000000009109e3c333135abfca623c3212493ca4666f7d0c830101b8570d8d6d86b67616b7f681d96dded71edc16235120ea1fd4337d');
CREATE TABLE detentions (
  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),
  person_id INTEGER NOT NULL REFERENCES people(id), incident_id INTEGER REFERENCES incidents(id),
  arrested_at TEXT NOT NULL, arresting_body TEXT, held_at TEXT, whereabouts TEXT, whereabouts_since TEXT,
  lawyer_access INTEGER NOT NULL, released_at TEXT, release_kind TEXT, handling TEXT, sealed BLOB) STRICT;
INSERT INTO detentions VALUES(1,1,1,1,'2011-05-03T10:01:00Z',NULL,NULL,'unknown','2011-05-03T10:01:00Z',0,NULL,NULL,'restricted',X'017ad9eaf4763f61095dcb94956f54718f010000000000000028128426cb67e6af8817a37c72b102cb64781c054897e41aed10cfcd5348de6c8522482f5a19');
INSERT INTO detentions VALUES(2,1,2,1,'2011-05-03T10:02:00Z',NULL,NULL,'unknown','2011-05-03T10:02:00Z',0,NULL,NULL,'restricted',X'01a85ddba6d99c941a8305828012a3b2e6010000000000000038964f83254088725011097d46a88a55b96c92926d45c28605bf4317a19e4fe0761fff486162');
INSERT INTO detentions VALUES(3,1,3,1,'2011-05-03T10:03:00Z',NULL,NULL,'unknown','2011-05-03T10:03:00Z',0,NULL,NULL,'restricted',X'0139419f773c7e9826ac6882d37fd3547a0100000000000000cdbbb610a09daf29823948133bb9f76312f518699b23a307edc8349a07f566dcaf9c882ba0c8');
INSERT INTO detentions VALUES(4,1,4,1,'2011-05-03T10:04:00Z',NULL,NULL,'unknown','2011-05-03T10:04:00Z',0,NULL,NULL,'restricted',X'014420214f424a2eb1f03926b665b542a50100000000000000a5d7087b038de8a9917a78d8176e74227992e47c65d507ba56efdcbd4c3e81b48be3cf746ad2');
INSERT INTO detentions VALUES(5,1,5,1,'2011-05-03T10:05:00Z',NULL,NULL,'unknown','2011-05-03T10:05:00Z',0,NULL,NULL,'restricted',X'01ab2eab8587fbb54fb35e96f5e5a6b6e5010000000000000066d477255359f45d980bc5bb0912a9640e27171fea9e03218eafd8d319602717c4923e13cd6a');
INSERT INTO detentions VALUES(6,1,6,1,'2011-05-03T10:06:00Z',NULL,NULL,'unknown','2011-05-03T10:06:00Z',0,NULL,NULL,'restricted',X'017913bc21647836f07d8d57affc5a37ec0100000000000000ebcff6d19de3b4854f3886316baf48cc725685eefb1e38200d55938e32a052d998a1786892b1');
CREATE TABLE actions (
  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),
  kind TEXT NOT NULL, title TEXT NOT NULL, title_fold TEXT NOT NULL, started_on TEXT NOT NULL, ended_on TEXT,
  place TEXT, region TEXT, employer_id INTEGER REFERENCES employers(id),
  workplace_id INTEGER REFERENCES workplaces(id), organizations TEXT, participants_low INTEGER,
  participants_high INTEGER, summary TEXT, handling TEXT, sealed BLOB) STRICT;
CREATE TABLE action_stages (
  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),
  action_id INTEGER NOT NULL REFERENCES actions(id), number INTEGER NOT NULL, held_on TEXT NOT NULL,
  from_place TEXT, to_place TEXT, region TEXT, participants_low INTEGER, participants_high INTEGER,
  note TEXT, handling TEXT, sealed BLOB, UNIQUE (action_id, number)) STRICT;
CREATE TABLE demands (
  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),
  action_id INTEGER NOT NULL REFERENCES actions(id), text TEXT NOT NULL, status TEXT NOT NULL,
  outcome_on TEXT, note TEXT, handling TEXT, sealed BLOB) STRICT;
CREATE TABLE hearings (
  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),
  case_id INTEGER NOT NULL REFERENCES legal_cases(id), held_on TEXT NOT NULL, kind TEXT, court TEXT,
  outcome TEXT, next_on TEXT, handling TEXT, sealed BLOB) STRICT;
CREATE TABLE citations (
  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),
  subject TEXT NOT NULL, subject_id INTEGER NOT NULL, report_id INTEGER REFERENCES reports(id),
  evidence_id INTEGER REFERENCES evidence(id), note TEXT) STRICT;
CREATE TABLE person_keys (
  person_id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL, wrapped BLOB, forgotten_at TEXT,
  forgotten_by TEXT) STRICT;
INSERT INTO person_keys VALUES(1,1,X'0110373365e098fd5a016d444dba35a2590100000000000000674481c07ab3278933051ae01d8556b8cdd730b3d881b16304b48d18e61a92b80024f45c201b45fa488df32e9a7e686a',NULL,NULL);
INSERT INTO person_keys VALUES(2,1,X'01b79efe4d099939a318879e7eadccbaad010000000000000091056dd3938ed02a9c0df18cbe4e68d7d07fcb5db96ce8c4e39814445e6cbe00819fa73f7524c15e805c987389832647',NULL,NULL);
INSERT INTO person_keys VALUES(3,1,X'010222397b15a9b4517ba220ce83eb6e5c0100000000000000ba1ac137231c2ee58d97ad5aca4f96fa9a675f3b198df70a296b370e10f2c8bdf36107dbafed4bb2f559d5fffc86cc64',NULL,NULL);
INSERT INTO person_keys VALUES(4,1,X'01708fb3143d9d87c7d53e53628ce11e210100000000000000419b3396e8551b3aff73c933dbdec529c169023631073e03d8be95ee8b93ac64c7bac9b99c8ba65c4c222e68208988de',NULL,NULL);
INSERT INTO person_keys VALUES(5,1,X'01bc504b8633cb0318f2da8724c73af5020100000000000000887c2d5515fdc02f775652890db44d7b0648443f819804b755a9b12b5e3e0fffa7604a08e3cd413db0d084fed2c22da8',NULL,NULL);
INSERT INTO person_keys VALUES(6,1,X'01f4a084130d0d167b0b13a239d2a53b6c0100000000000000a7a45b0011d46049519847fea1d1d4f5d9e1125b73e5f00f14363a9c65a71f20888011d99a71d47e454062c5888311e0',NULL,NULL);
INSERT INTO person_keys VALUES(7,1,X'01fee232bd08ee1ee3e784b4fa28559cc90100000000000000c3de3610db1315cef0599e7b264a68a8c4a8d0ac263da4ef29ec8df7f2511ff3e777a33c3e49242502cdf72deaa32739',NULL,NULL);
INSERT INTO person_keys VALUES(8,1,X'01813914c5d8e8313ee4972e5d78761b870100000000000000ee43fe16e069830db49466de7254a844831045b305d2014e1a3c617fb7c290b7f2b4b30b9e69428318a004a96aed45bf',NULL,NULL);
INSERT INTO person_keys VALUES(9,1,X'013cb055fb264bcbbe35ccba99b3eb3aa901000000000000008e4af9c49e18ea9d19b89fd0347aaacd47c6ff431eb0678a1603d92c50515f3cb26bc95c0fc0bfc2d251ba55d5034572',NULL,NULL);
INSERT INTO person_keys VALUES(10,1,X'018b0fffae6faf6366ead79c4b7c83c3e5010000000000000044b0cf3d01f61ec39ad1bfb438de939f511fc9200629daee15e69fe7b3e26e7a182bde9ac4f24abde825fe9ab721bee2',NULL,NULL);
INSERT INTO person_keys VALUES(11,1,X'0170317949a9165d9d5c98ed36ab315f9c010000000000000057f4b54d2039979166648e8dc09d6ee493b5b4d6cc8b02f59bacd82bf543a94385ea5fcac2e2ef43c9811d741042b6e0',NULL,NULL);
INSERT INTO person_keys VALUES(12,1,NULL,'2026-12-05T19:56:18.353Z','cli:root');
CREATE INDEX employments_person ON employments(person_id);
CREATE INDEX employments_workplace ON employments(workplace_id);
CREATE INDEX memberships_person ON memberships(person_id);
CREATE INDEX claims_employment ON claims(employment_id);
CREATE INDEX payments_person ON payments(person_id);
CREATE INDEX payments_promise ON payments(promise_id);
CREATE INDEX claims_watch ON claims(org_id, person_id, id, employment_id, kind, amount_minor, status,
  limitation_date);
CREATE INDEX login_attempts_user ON login_attempts(username, at);
CREATE INDEX people_name ON people(org_id, full_name_fold, full_name);
CREATE INDEX transfers_pending ON transfers(org_id, pending_id) WHERE pending_id IS NOT NULL;
CREATE INDEX evidence_custody_item ON evidence_custody(evidence_id, seq);
CREATE INDEX violations_incident ON violations(incident_id);
CREATE INDEX assessments_subject ON assessments(subject, subject_id);
CREATE INDEX reports_incident ON reports(incident_id);
CREATE INDEX demands_action ON demands(action_id);
CREATE INDEX hearings_case ON hearings(case_id);
CREATE UNIQUE INDEX citations_once ON citations(subject, subject_id, coalesce(report_id, 0), coalesce(evidence_id, 0));
CREATE INDEX incidents_action ON incidents(action_id);
CREATE UNIQUE INDEX api_tokens_name ON api_tokens(user_id, name);
COMMIT;
