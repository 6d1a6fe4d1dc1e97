// Made-up people, places and stories

export const firstNames =
  'Alex Sam Jordan Priya Mohammed Olivia George Amelia Harry Isla Jack Ava Noah Mia Leo Grace Oscar Freya Arthur Lily Aisha Tomasz Agnieszka Chidi Ngozi Ravi Sunita Declan Siobhan Gareth Bethan Hamza Fatima Wei Mei Kwame Abena Stanley Maureen Derek Pauline Keith Janet'.split(
    ' ',
  );
export const lastNames =
  'Smith Jones Taylor Brown Williams Wilson Johnson Davies Patel Robinson Wright Thompson Evans Walker White Roberts Green Hall Khan Lewis Harris Clarke Jackson Wood Turner Hill Cooper Ward Morris Moore Begum Nowak Kowalski Okafor Mensah Singh Kaur O’Brien Murphy Chen Ali'.split(
    ' ',
  );
export const streets =
  'Civic Way, High Street, Church Street, Station Road, Midland Road, Alexandra Road, Hill Street, Belmont Street, Coppice Side, Woodville Road, Burton Road, Ashby Road, Derby Road, Newhall Road, Springfield Road, Main Street'.split(
    ', ',
  );
export const towns = [
  'Swadlincote',
  'Melbourne',
  'Hilton',
  'Aston-on-Trent',
  'Etwall',
  'Woodville',
  'Newhall',
  'Hatton',
  'Repton',
  'Overseal',
] as const;
export const outwardCodes = ['DE11', 'DE12', 'DE65', 'DE73', 'DE74'] as const;
export const inwardLetters = 'ABDEFGHJLNPQRSTUWXYZ';
export const businesses = ['Corner Shop', 'Community Café', 'Hair Studio', 'Garage', 'Pharmacy', 'Takeaway'] as const;
export const groups = ['Residents’ Association', 'Allotment Society', 'Youth Club', 'Tenants’ Group'] as const;
export const behaviours = [
  'Loud music and shouting late at night',
  'Young people gathering and throwing stones at windows',
  'Neighbour’s dog barking and left in the garden all day',
  'Rubbish dumped in the shared alley',
  'Threats shouted across the street',
  'Cars revving and racing on the estate',
  'Drug dealing from the flat below',
  'Graffiti sprayed on the garden fence',
  'Verbal abuse when leaving the house',
  'Fireworks set off outside the front door',
  'Banging on the walls through the night',
  'Motorbikes ridden across the playing field',
] as const;
export const places = [
  'Outside the house',
  'In the communal stairwell',
  'On the street outside',
  'In the back alley',
  'In the car park',
  'At the shop front',
] as const;
export const impacts = [
  'We cannot sleep and the children are frightened.',
  'I no longer feel safe leaving my home after dark.',
  'My health has got worse and I have had time off work.',
  'Customers have stopped coming to the shop.',
  'My elderly mother is anxious all the time.',
] as const;
export const actions = [
  'Reported to the council and the police several times; a warning letter was sent.',
  'Reported to the housing association, who said they would visit.',
  'Police attended twice but nothing changed.',
  'Kept a diary and reported every incident to the council.',
] as const;
export const hopes = [
  'For the noise to stop.',
  'To feel safe at home again.',
  'For the agencies to work together and take action.',
  'For the behaviour to end.',
] as const;
export const officerNames = ['Claire Rawlins', 'Dev Sharma', 'Hannah Price', 'Marcus Green'] as const;
export const agencies = [
  'Derbyshire Constabulary',
  'South Derbyshire District Council Housing',
  'South Derbyshire District Council Environmental Health',
  'Derbyshire County Council Adult Social Care',
  'Registered housing providers',
] as const;
export const recommendationActions = [
  'Visit the household and agree a support plan',
  'Install CCTV covering the shared alley',
  'Issue a community protection warning',
  'Refer the victim to victim support services',
  'Carry out noise monitoring for two weeks',
  'Hold a multi-agency problem-solving meeting',
] as const;
export const rejectionGrounds = ['prejudicial', 'discriminatory', 'malicious', 'unreasonable', 'vexatious'] as const;
export const hateTypes = ['disability', 'race', 'religion', 'sexual-orientation', 'transgender-identity'] as const;
export const tinyPdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
/** bytea input text for JSON rows. */
export const tinyPdfHex = `\\x${tinyPdf.toString('hex')}`;
