// A held-out check on the detector: comments written for this project in the kinds of things the
// council's pages receive, none taken or paraphrased from the evaluation data (ETHOS), and not
// used to write the rules. Its figures are reported beside ETHOS's; the floors below only stop
// a change from quietly making the detector worse on writing it was not tuned on.
import { assessContent, type Characteristic } from './index';

type Expected = 'none' | 'threat' | `hate:${Characteristic}` | `threat+hate:${Characteristic}`;

/** Threats against residents, staff and councillors, and calls for violence against groups. */
const THREATS: [Expected, string][] = [
  ['threat', "I'm going to batter you when I see you at the surgery"],
  ['threat', 'Somebody needs to put a bullet in that councillor'],
  ['threat', 'The mayor should be strung up from a lamppost'],
  ['threat', "Next time I see you at the market you're getting stabbed"],
  ['threat', 'Someone ought to run that traffic warden over'],
  ['threat', 'I hope the clerk gets hit by a bus'],
  ['threat', 'Councillor Reid deserves a bullet'],
  ['threat', "I swear I'll smash his face in if he turns up to the meeting"],
  ['threat', 'If you close the library I will burn the town hall down with you in it'],
  ['threat', "I'd love to see the whole cabinet hanging from the bridge"],
  ['threat', 'We will be waiting outside the civic centre for you with bats'],
  ['threat', 'He needs his head kicking in'],
  ['threat', 'Shoot the lot of them and start again'],
  ['threat', 'Someone will stab you one of these days'],
  ['threat', 'I am coming to the next meeting with a knife for you'],
  ['threat', 'Cllr Ahmed wants shooting for this'],
  ['threat', 'Whoever approved this deserves to be beaten senseless'],
  ['threat', 'I will find out where the planning officer lives and break his legs'],
  ['threat', 'You will not make it home tonight'],
  ['threat', 'Touch my allotment again and I will end you'],
  ['threat', 'That social worker is going to get hurt if she comes back here'],
  ['threat', 'Someone should firebomb the council offices'],
  ['threat', 'I want to see him bleed'],
  ['threat', 'Drag the leader out and hang him'],
  ['threat+hate:race', 'Kill every last one of the refugees in that hotel'],
  ['threat+hate:sexual_orientation', 'Gay people should be thrown off buildings'],
  ['threat+hate:religion', 'Muslims deserve to be shot, every one of them'],
  ['threat+hate:religion', 'Someone should torch the mosque with them inside'],
  ['threat+hate:disability', 'Disabled people should be put down like dogs'],
  ['threat+hate:transgender', "I'd happily shoot every trans person I see"],
  ['threat+hate:race', 'Round up the travellers and burn them out'],
  ['threat+hate:sex_gender', 'Women who answer back need a good slap'],
  ['threat+hate:age', 'Old people should be left to die in the heat'],
  ['threat+hate:religion', 'The Jews need to be wiped out'],
  ['threat+hate:race', 'We should hang every immigrant from the nearest tree'],
  ['threat+hate:sexual_orientation', 'Lesbians need beating until they learn'],
  ['threat+hate:age', 'I hope every pensioner in this town freezes to death'],
  ['threat+hate:race', 'Shoot the migrants as soon as the boats land'],
  ['threat+hate:transgender', 'Trans women deserve a kicking'],
  ['threat+hate:religion', 'Gas the Sikhs'],
];

/** Hostility towards a protected group without a threat of violence. */
const HATE: [Expected, string][] = [
  ['hate:disability', 'Disabled people are a drain on everyone else'],
  ['hate:disability', 'Autistic kids are just badly raised brats'],
  ['hate:disability', 'Wheelchair users are lazy and want everything handed to them'],
  ['hate:disability', 'Deaf people are too thick to read a simple letter'],
  ['hate:disability', "People with learning disabilities shouldn't be allowed to have children"],
  ['hate:disability', 'The mentally ill are dangerous animals and should be locked away'],
  ['hate:disability', 'Why should my council tax pay for spastics'],
  ['hate:disability', 'Blind people are useless and should stay at home'],
  ['hate:disability', 'Get the disabled out of the town centre, they clog up the pavements'],
  ['hate:race', 'Immigrants are destroying this town'],
  ['hate:race', 'Black people are naturally violent'],
  ['hate:race', 'Pakistanis are all groomers'],
  ['hate:race', 'Polish people are filthy scroungers'],
  ['hate:race', 'Asylum seekers are cockroaches'],
  ['hate:race', 'Gypsies are thieves, every single one of them'],
  ['hate:race', 'Foreigners should be kicked out of council housing'],
  ['hate:race', 'Chinese people are disgusting'],
  ['hate:race', 'We do not want Romanians in this town'],
  ['hate:race', 'Africans are savages and always will be'],
  ['hate:religion', 'Muslims are a cancer on this country'],
  ['hate:religion', 'Jews are greedy and run everything'],
  ['hate:religion', 'Islam is a disease and its followers are savages'],
  ['hate:religion', 'Sikhs are dirty'],
  ['hate:religion', 'Catholics are all paedophiles'],
  ['hate:religion', 'Hindus are backward idiots'],
  ['hate:religion', 'Ban all Muslims from the town centre'],
  ['hate:religion', 'Christians are brainwashed morons'],
  ['hate:religion', 'Muslims should not be allowed to stand for council'],
  ['hate:sexual_orientation', "Gay people are perverts and shouldn't be near children"],
  ['hate:sexual_orientation', 'Lesbians are disgusting'],
  ['hate:sexual_orientation', 'Homosexuals are an abomination'],
  ['hate:sexual_orientation', 'Bisexuals are greedy liars'],
  ['hate:sexual_orientation', 'Gay couples should not be allowed to foster'],
  ['hate:sexual_orientation', 'The gays are ruining this country'],
  ['hate:sexual_orientation', 'Keep the gays away from our schools'],
  ['hate:sexual_orientation', 'Gay men are diseased'],
  ['hate:transgender', 'Transgender people are mentally ill freaks'],
  ['hate:transgender', 'Trans people are a danger to our kids'],
  ['hate:transgender', 'Non-binary people are attention seekers'],
  ['hate:transgender', 'Trans people should not exist'],
  ['hate:transgender', 'Transgenders are delusional and need locking up'],
  ['hate:transgender', 'Trans women are not real women and never will be'],
  ['hate:transgender', 'Trans people are sick in the head'],
  ['hate:transgender', 'Ban trans people from the leisure centre changing rooms'],
  ['hate:sex_gender', 'Women are too emotional to run a council'],
  ['hate:sex_gender', 'Women belong in the kitchen not the chamber'],
  ['hate:sex_gender', 'Females are stupid and should not vote'],
  ['hate:sex_gender', 'Feminists are ugly bitter hags'],
  ['hate:sex_gender', 'Men are all rapists'],
  ['hate:sex_gender', 'Women are property'],
  ['hate:sex_gender', 'Girls are useless at maths and always will be'],
  ['hate:sex_gender', 'Women are inferior to men'],
  ['hate:age', 'Old people are a waste of space and a burden on the NHS'],
  ['hate:age', 'Pensioners are selfish parasites'],
  ['hate:age', 'Boomers are stupid and should not vote'],
  ['hate:age', 'Teenagers are feral animals'],
  ['hate:age', 'Young people are lazy scum'],
  ['hate:age', 'The elderly are useless and should be kept out of the way'],
  ['hate:age', 'Old people are disgusting'],
];

/** Ordinary comments that name groups, push back against hate, report news, or complain hard. */
const HARD_NEGATIVES: [Expected, string][] = [
  // neutral mentions of groups
  ['none', 'The mosque on King Street is hosting an open day on Saturday'],
  ['none', 'Disabled parking bays outside the library are always full'],
  ['none', 'Can the council provide sign language interpreters for deaf residents?'],
  ['none', 'Our trans support group meets at the community centre on Thursdays'],
  ['none', 'The Polish shop on the high street has great bread'],
  ['none', 'Older residents are worried about the post office closing'],
  ['none', 'The gay pride event in the park was brilliant this year'],
  ['none', "Women's refuge funding has been cut again"],
  ['none', 'Muslim residents have asked for a prayer room at the leisure centre'],
  ['none', 'Travellers have moved onto the field behind the school, who do I report it to?'],
  ['none', 'Immigrants make up a fifth of the care workforce here'],
  ['none', 'Black history month events are on at the library all October'],
  ['none', 'Young people have nowhere to go since the youth club shut'],
  ['none', 'Refugees arriving this week need winter coats, please donate'],
  ['none', 'Jewish families in the area have asked for a safe route to the synagogue'],
  ['none', 'Wheelchair users cannot get through the new gate on the canal path'],
  ['none', 'Autistic children need quieter spaces at the library'],
  ['none', 'Pensioners are struggling with the new parking machines'],
  ['none', 'Lesbian and gay couples are welcome at the register office'],
  ['none', 'The Sikh temple is collecting food for the food bank'],
  ['none', 'Is the Hindu festival going ahead in the square this year?'],
  ['none', 'Women are under-represented on the council'],
  ['none', 'Old people often feel isolated in winter, check on your neighbours'],
  ['none', 'Disabled residents were not consulted about the bus changes'],
  // counter-speech
  ['none', 'Saying Muslims are terrorists is disgusting and wrong'],
  ['none', 'Anyone who calls disabled people a burden should be ashamed of themselves'],
  ['none', "I'm sick of people blaming immigrants for everything"],
  ['none', 'Trans people are not a threat to anyone'],
  ['none', 'Calling gay people perverts is hate speech and should be reported'],
  ['none', 'Old people are not a burden, they built this town'],
  ['none', 'Nobody deserves to be attacked because of their religion'],
  ['none', 'It is racist to say that all Pakistanis are groomers'],
  ['none', 'Women are not property and never were'],
  ['none', 'Refugees are not criminals, they are people fleeing war'],
  ['none', 'The comments about the travellers on this page are vile, please remove them'],
  // news and reports
  ['none', 'A man was jailed for threatening to kill a councillor'],
  ['none', 'Police are investigating after the mosque was attacked last night'],
  ['none', 'The court heard he told the officer he would shoot him'],
  ['none', 'Two teenagers were stabbed in the park on Friday'],
  ['none', 'The inquiry found that disabled residents were abused at the care home'],
  ['none', 'Three people were killed in the fire on Station Road'],
  ['none', 'The report says hate crimes against Jewish people have doubled'],
  ['none', "Someone sprayed 'gays out' on the bus shelter, can it be cleaned?"],
  ['none', 'My neighbour keeps shouting that he will kill me, I have called the police'],
  // strong complaints about council services
  ['none', 'The bin service is fucking useless, sort it out'],
  ['none', 'This council is a disgrace and the leader should resign'],
  ['none', 'I could kill whoever designed this one way system'],
  ['none', 'The potholes on Mill Lane are murdering my tyres'],
  ['none', 'Parking wardens are vultures'],
  ['none', 'The council are a bunch of thieving crooks'],
  ['none', 'Sack the whole planning department'],
  ['none', 'Scrap the bus lane, it is killing local businesses'],
  ['none', 'The new parking charges will kill the high street'],
  ['none', 'We will destroy them at the ballot box in May'],
  ['none', 'Shoot me now, another council tax rise'],
  ['none', 'The roadworks are a bloody nightmare'],
  ['none', 'Kill the bus lane scheme before it kills the town'],
  ['none', 'Burn the consultation document, it is rubbish'],
  ['none', 'The leisure centre changing rooms are filthy'],
  // idioms, sport and everyday speech
  ['none', 'My feet are killing me after the fun run'],
  ['none', "I'd kill for a parking space near the station"],
  ['none', 'Break a leg at the panto tonight'],
  ['none', 'We smashed our recycling target this year'],
  ['none', 'Our under-12s destroyed the visitors five nil'],
  ['none', 'We will slaughter them in the pub quiz'],
  ['none', 'The heat in the council chamber is murder'],
  ['none', 'I would never wish harm on anyone, even the councillors'],
  ['none', 'Nobody should be threatened for doing their job'],
];

const TABLE = [...THREATS, ...HATE, ...HARD_NEGATIVES];

interface Figures {
  tp: number;
  fp: number;
  fn: number;
}

function figures(): { threat: Figures; hate: Figures; targetRight: number; targetRows: number } {
  const threat = { tp: 0, fp: 0, fn: 0 };
  const hate = { tp: 0, fp: 0, fn: 0 };
  let targetRight = 0;
  let targetRows = 0;
  for (const [expected, text] of TABLE) {
    const a = assessContent(text);
    const flagged = (c: string) => a.flags.some((f) => f.category === c);
    const wantThreat = expected.startsWith('threat');
    const wantHate = expected.includes('hate:');
    for (const [want, got, k] of [
      [wantThreat, flagged('threat'), threat],
      [wantHate, flagged('hate'), hate],
    ] as const) {
      if (want && got) k.tp++;
      else if (got) k.fp++;
      else if (want) k.fn++;
    }
    if (wantHate && flagged('hate')) {
      targetRows++;
      if (a.flags.find((f) => f.category === 'hate')?.target === expected.split(':')[1]) targetRight++;
    }
  }
  return { threat, hate, targetRight, targetRows };
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);
const precision = (k: Figures): number => ratio(k.tp, k.tp + k.fp);
const recall = (k: Figures): number => ratio(k.tp, k.tp + k.fn);

describe('held-out council comments', () => {
  const f = figures();

  it('has enough varied examples to mean something', () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(150);
  });

  it('reports its figures', () => {
    const line = (name: string, k: Figures): string =>
      `${name.padEnd(7)} P ${precision(k).toFixed(3)}  R ${recall(k).toFixed(3)}  (TP ${k.tp}, FP ${k.fp}, FN ${k.fn})`;
    console.log(
      [
        `held-out table: ${TABLE.length} comments`,
        line('threat', f.threat),
        line('hate', f.hate),
        `hate target right: ${f.targetRight}/${f.targetRows}`,
      ].join('\n'),
    );
  });

  // Floors a little under the figures of detect-2026.11.2 (threat P 0.94 R 0.80, hate P 1.00 R 0.89).
  it('threats to residents, staff and groups are caught, and few ordinary comments are called threats', () => {
    expect(recall(f.threat)).toBeGreaterThanOrEqual(0.75);
    expect(precision(f.threat)).toBeGreaterThanOrEqual(0.9);
  });

  it('hate against each protected characteristic is caught, and neutral mentions are left alone', () => {
    expect(recall(f.hate)).toBeGreaterThanOrEqual(0.85);
    expect(precision(f.hate)).toBeGreaterThanOrEqual(0.95);
  });
});
