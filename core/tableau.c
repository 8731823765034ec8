/* tableau.c - Butcher tableaux: allocation, validation, the built-ins.
 *
 * The built-in coefficients are stored twice: as the exact expression
 * (which arbitrary-precision analysis reads) and as the correctly rounded
 * double, written as a hex-float literal so the compiler cannot round it
 * differently.  The literals were computed once, offline, with MPFR at 256
 * bits; tests/test_tableau.c re-derives every one of them from its text.
 */
#include "tableau.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct rk_coef {
    const char *exact;
    double value; /* the correctly rounded value of exact */
} rk_coef;

typedef struct rk_builtin {
    const char *name;
    int s, order;
    const rk_coef *a; /* the strictly lower part of A, row by row */
    const rk_coef *b, *c;  /* b NULL: FSAL, b is the last row of A */
    const char *description;
    const rk_coef *bhat;     /* NULL unless a pair */
    int embedded_order, fsal;
    /* 1: not one of the fixed-step yardsticks the learner and validate
     * compare against (catalog.h), so that adding a pair leaves every
     * learned record and measurement as it was */
    int pair_only;
    const rk_coef *dense; /* NULL, or s rows of dense_degree */
    int dense_degree;
} rk_builtin;

static const rk_coef euler_b[] = {
    {"1", 0x1p+0},
};
static const rk_coef euler_c[] = {
    {"0", 0x0p+0},
};

static const rk_coef midpoint_a[] = {
    {"1/2", 0x1p-1},
};
static const rk_coef midpoint_b[] = {
    {"0", 0x0p+0}, {"1", 0x1p+0},
};
static const rk_coef midpoint_c[] = {
    {"0", 0x0p+0}, {"1/2", 0x1p-1},
};

static const rk_coef heun_a[] = {
    {"1", 0x1p+0},
};
static const rk_coef heun_b[] = {
    {"1/2", 0x1p-1}, {"1/2", 0x1p-1},
};
static const rk_coef heun_c[] = {
    {"0", 0x0p+0}, {"1", 0x1p+0},
};

static const rk_coef ralston_a[] = {
    {"2/3", 0x1.5555555555555p-1},
};
static const rk_coef ralston_b[] = {
    {"1/4", 0x1p-2}, {"3/4", 0x1.8p-1},
};
static const rk_coef ralston_c[] = {
    {"0", 0x0p+0}, {"2/3", 0x1.5555555555555p-1},
};

static const rk_coef kutta3_a[] = {
    {"1/2", 0x1p-1},
    {"-1", -0x1p+0}, {"2", 0x1p+1},
};
static const rk_coef kutta3_b[] = {
    {"1/6", 0x1.5555555555555p-3}, {"2/3", 0x1.5555555555555p-1},
    {"1/6", 0x1.5555555555555p-3},
};
static const rk_coef kutta3_c[] = {
    {"0", 0x0p+0}, {"1/2", 0x1p-1}, {"1", 0x1p+0},
};

static const rk_coef heun3_a[] = {
    {"1/3", 0x1.5555555555555p-2},
    {"0", 0x0p+0}, {"2/3", 0x1.5555555555555p-1},
};
static const rk_coef heun3_b[] = {
    {"1/4", 0x1p-2}, {"0", 0x0p+0}, {"3/4", 0x1.8p-1},
};
static const rk_coef heun3_c[] = {
    {"0", 0x0p+0}, {"1/3", 0x1.5555555555555p-2},
    {"2/3", 0x1.5555555555555p-1},
};

static const rk_coef ralston3_a[] = {
    {"1/2", 0x1p-1},
    {"0", 0x0p+0}, {"3/4", 0x1.8p-1},
};
static const rk_coef ralston3_b[] = {
    {"2/9", 0x1.c71c71c71c71cp-3}, {"1/3", 0x1.5555555555555p-2},
    {"4/9", 0x1.c71c71c71c71cp-2},
};
static const rk_coef ralston3_c[] = {
    {"0", 0x0p+0}, {"1/2", 0x1p-1}, {"3/4", 0x1.8p-1},
};

static const rk_coef ssprk3_a[] = {
    {"1", 0x1p+0},
    {"1/4", 0x1p-2}, {"1/4", 0x1p-2},
};
static const rk_coef ssprk3_b[] = {
    {"1/6", 0x1.5555555555555p-3}, {"1/6", 0x1.5555555555555p-3},
    {"2/3", 0x1.5555555555555p-1},
};
static const rk_coef ssprk3_c[] = {
    {"0", 0x0p+0}, {"1", 0x1p+0}, {"1/2", 0x1p-1},
};

static const rk_coef rk4_a[] = {
    {"1/2", 0x1p-1},
    {"0", 0x0p+0}, {"1/2", 0x1p-1},
    {"0", 0x0p+0}, {"0", 0x0p+0}, {"1", 0x1p+0},
};
static const rk_coef rk4_b[] = {
    {"1/6", 0x1.5555555555555p-3}, {"1/3", 0x1.5555555555555p-2},
    {"1/3", 0x1.5555555555555p-2}, {"1/6", 0x1.5555555555555p-3},
};
static const rk_coef rk4_c[] = {
    {"0", 0x0p+0}, {"1/2", 0x1p-1}, {"1/2", 0x1p-1}, {"1", 0x1p+0},
};

static const rk_coef rk38_a[] = {
    {"1/3", 0x1.5555555555555p-2},
    {"-1/3", -0x1.5555555555555p-2}, {"1", 0x1p+0},
    {"1", 0x1p+0}, {"-1", -0x1p+0}, {"1", 0x1p+0},
};
static const rk_coef rk38_b[] = {
    {"1/8", 0x1p-3}, {"3/8", 0x1.8p-2}, {"3/8", 0x1.8p-2}, {"1/8", 0x1p-3},
};
static const rk_coef rk38_c[] = {
    {"0", 0x0p+0}, {"1/3", 0x1.5555555555555p-2},
    {"2/3", 0x1.5555555555555p-1}, {"1", 0x1p+0},
};

static const rk_coef ralston4_a[] = {
    {"2/5", 0x1.999999999999ap-2},
    {"(-2889+1428*sqrt(5))/1024", 0x1.301ae5fd7417p-2},
    {"(3785-1620*sqrt(5))/1024", 0x1.4523c6d899f2ap-3},
    {"(-3365+2094*sqrt(5))/6040", 0x1.beab6a9566dffp-3},
    {"(-975-3046*sqrt(5))/2552", -0x1.868606a76f9afp+1},
    {"(467040+203968*sqrt(5))/240845", 0x1.ea9b4ffe192cfp+1},
};
static const rk_coef ralston4_b[] = {
    {"(263+24*sqrt(5))/1812", 0x1.65e8b807a9f38p-3},
    {"(125-1000*sqrt(5))/3828", -0x1.1a5bac66e191p-1},
    {"(3426304+1661952*sqrt(5))/5924787", 0x1.349dfb2592633p+0},
    {"(30-4*sqrt(5))/123", 0x1.5e9620674936ep-3},
};
static const rk_coef ralston4_c[] = {
    {"0", 0x0p+0}, {"2/5", 0x1.999999999999ap-2},
    {"(14-3*sqrt(5))/16", 0x1.d2acc969c1104p-2}, {"1", 0x1p+0},
};

static const rk_coef dopri5_a[] = {
    {"1/5", 0x1.999999999999ap-3},
    {"3/40", 0x1.3333333333333p-4}, {"9/40", 0x1.ccccccccccccdp-3},
    {"44/45", 0x1.f49f49f49f49fp-1}, {"-56/15", -0x1.ddddddddddddep+1},
    {"32/9", 0x1.c71c71c71c71cp+1},
    {"19372/6561", 0x1.79eec0fc37181p+1},
    {"-25360/2187", -0x1.7310bd29520e4p+3},
    {"64448/6561", 0x1.3a552363c529p+3}, {"-212/729", -0x1.29c9eba1e3345p-2},
    {"9017/3168", 0x1.6c52bf5a814bp+1}, {"-355/33", -0x1.583e0f83e0f84p+3},
    {"46732/5247", 0x1.1d016a3721e8bp+3}, {"49/176", 0x1.1d1745d1745d1p-2},
    {"-5103/18656", -0x1.1818970d9cc2fp-2},
    {"35/384", 0x1.7555555555555p-4}, {"0", 0x0p+0},
    {"500/1113", 0x1.cc0499a5605fbp-2}, {"125/192", 0x1.4d55555555555p-1},
    {"-2187/6784", -0x1.4a1cfb2b78c13p-2}, {"11/84", 0x1.0c30c30c30c31p-3},
};
static const rk_coef dopri5_c[] = {
    {"0", 0x0p+0}, {"1/5", 0x1.999999999999ap-3},
    {"3/10", 0x1.3333333333333p-2}, {"4/5", 0x1.999999999999ap-1},
    {"8/9", 0x1.c71c71c71c71cp-1}, {"1", 0x1p+0}, {"1", 0x1p+0},
};

static const rk_coef dopri5_bhat[] = {
    {"5179/57600", 0x1.7048d159e26afp-4},
    {"0", 0x0p+0},
    {"7571/16695", 0x1.d05f703aa30fap-2},
    {"393/640", 0x1.3a66666666666p-1},
    {"-92097/339200", -0x1.16075785e4908p-2},
    {"187/2100", 0x1.6cbd323989ffp-4},
    {"1/40", 0x1.999999999999ap-6},
};

/* Dormand and Prince's continuous extension of order 4, in Shampine's
 * form as SciPy's RK45 P: row j is b_j(th)'s coefficients of th..th^4. */
static const rk_coef dopri5_dense[] = {
    {"1", 0x1.0000000000000p+0}, {"-8048581381/2820520608", -0x1.6d421c90ad023p+1}, {"8663915743/2820520608", 0x1.892ee3cc04af1p+1}, {"-12715105075/11282082432", -0x1.208439215a046p+0},
    {"0", 0x0p+0}, {"0", 0x0p+0}, {"0", 0x0p+0}, {"0", 0x0p+0},
    {"0", 0x0p+0}, {"131558114200/32700410799", 0x1.017b046ccf5e3p+2}, {"-68118460800/10900136933", -0x1.8ff4e27046a46p+2}, {"87487479700/32700410799", 0x1.56744f3b9a987p+1},
    {"0", 0x0p+0}, {"-1754552775/470086768", -0x1.ddbf58f446418p+1}, {"14199869525/1410260304", 0x1.423501cf78761p+3}, {"-10690763975/1880347072", -0x1.6bdfac7a2320cp+2},
    {"0", 0x0p+0}, {"127303824393/49829197408", 0x1.4703cfd92b80bp+1}, {"-318862633887/49829197408", -0x1.998b0ea409b10p+2}, {"701980252875/199316789632", 0x1.c2ceae0978c92p+1},
    {"0", 0x0p+0}, {"-282668133/205662961", -0x1.5fda423d67152p+0}, {"2019193451/616988883", 0x1.a2e673007345fp+1}, {"-1453857185/822651844", -0x1.c46c8b61f95e5p+0},
    {"0", 0x0p+0}, {"40617522/29380423", 0x1.61e97be1b9227p+0}, {"-110615467/29380423", -0x1.e1e97be1b9227p+1}, {"69997945/29380423", 0x1.30f4bdf0dc914p+1},
};

static const rk_coef bs3_a[] = {
    {"1/2", 0x1p-1},
    {"0", 0x0p+0}, {"3/4", 0x1.8p-1},
    {"2/9", 0x1.c71c71c71c71cp-3}, {"1/3", 0x1.5555555555555p-2}, {"4/9", 0x1.c71c71c71c71cp-2},
};
static const rk_coef bs3_bhat[] = {
    {"7/24", 0x1.2aaaaaaaaaaabp-2},
    {"1/4", 0x1p-2},
    {"1/3", 0x1.5555555555555p-2},
    {"1/8", 0x1p-3},
};
static const rk_coef bs3_c[] = {
    {"0", 0x0p+0},
    {"1/2", 0x1p-1},
    {"3/4", 0x1.8p-1},
    {"1", 0x1p+0},
};

static const rk_coef tsit5_a[] = {
    {"161/1000", 0x1.49ba5e353f7cfp-3},
    {"-0.008480655492356988544426874250230774675121177393430391537369234245294192976164141156943", -0x1.15e4e4fe8123ep-7},
    {"0.3354806554923569885444268742502307746751211773934303915373692342452941929761641411569", 0x1.57883daf1f0b3p-2},
    {"2.897153057105493432130432594192938764924887287701866490314866693455023795137503079289", 0x1.72d5e94fe3235p+1},
    {"-6.359448489975074843148159912383825625952700647415626703305928850207288721235210244366", -0x1.9701343d4287bp+2},
    {"4.362295432869581411017727318190886861027813359713760212991062156752264926097707165077", 0x1.172fd92eea8fap+2},
    {"5.325864828439256604428877920840511317836476253097040101202360397727981648835607691791", 0x1.54daf827440c7p+2},
    {"-11.74888356406282787774717033978577296188744178259862899288666928009020615663593781589", -0x1.77f6daaa052d3p+3},
    {"7.495539342889836208304604784564358155658679161518186721010132816213648793440552049753", 0x1.dfb6eaa5e5f6ap+2},
    {"-0.09249506636175524925650207933207191611349983406029535244034750452930469056411389539635", -0x1.7adc1b510a9a4p-4},
    {"5.861455442946420028659251486982647890394337666164814434818157239052507339770711679748", 0x1.772216029aa0ep+2},
    {"-12.92096931784710929170611868178335939541780751955743459166312250439928519268343184452", -0x1.9d7894a598ba8p+3},
    {"8.159367898576158643180400794539253485181918321135053305748355423955009222648673734986", 0x1.05198ab50d56dp+3},
    {"-0.07158497328140099722453054252582973869127213147363544882721139659546372402303777878835", -0x1.253648f20ef47p-4},
    {"-0.02826905039406838290900305721271224146717633626879770007617876201276764571291579142206", -0x1.cf28fdbb9db09p-6},
    {"0.09646076681806522951816731316512876333711995238157997181903319145764851595234062815396", 0x1.8b1a71ed4a6eep-4},
    {"1/100", 0x1.47ae147ae147bp-7},
    {"0.4798896504144995747752495322905965199130404621990332488332634944254542060153074523509", 0x1.eb683148e0688p-2},
    {"1.379008574103741893192274821856872770756462643091360525934940067397245698027561293331", 0x1.6106b4b6adddbp+0},
    {"-3.290069515436080679901047585711363850115683290894936158531296799594813811049925401677", -0x1.a520ff752ea91p+1},
    {"2.324710524099773982415355918398765796109060233222962411944060046314465391054716027841", 0x1.29901d4cd6786p+1},
};
static const rk_coef tsit5_bhat[] = {
    {"0.09468075576583945807478876255758922856117527357724631226139574065785592789071067303271", 0x1.83cff7d9328f8p-4},
    {"0.009183565540343253096776363936645313759813746240984095238905939532922955247253608687270", 0x1.2ced54d406734p-7},
    {"0.4877705284247615707855642599631228241516691959761363774365216240304071651579571959813", 0x1.f37a1e0e25e09p-2},
    {"1.234297566930478985655109673884237654035539930748192848315425833500484878378061439761", 0x1.3bfaece37faffp+0},
    {"-2.707712349983525454881109975059321670689605166938197378763992255714444407154902012702", -0x1.5a96517b13c84p+1},
    {"1.866628418170587035753719399566211498666255505244122593996591602841258328965767580089", 0x1.dddb5c29d3aeap+0},
    {"1/66", 0x1.f07c1f07c1f08p-7},
};
/* Tsitouras's interpolant of order 4, the decimals OrdinaryDiffEq.jl's
 * Tsit5Interp has: row j is b_j(th)'s coefficients of th..th^4. */
static const rk_coef tsit5_dense[] = {
    {"1.0", 0x1.0000000000000p+0}, {"-2.763706197274826", -0x1.61c11fea8621ap+1}, {"2.9132554618219126", 0x1.74e58e12b5912p+1}, {"-1.0530884977290216", -0x1.0d9735318a381p+0},
    {"0", 0x0p+0}, {"0.13169999999999998", 0x1.0db8bac710cb2p-3}, {"-0.2234", -0x1.c985f06f69446p-3}, {"0.1017", 0x1.a0902de00d1b7p-4},
    {"0", 0x0p+0}, {"3.9302962368947516", 0x1.f713f27487049p+1}, {"-5.941033872131505", -0x1.7c39e6224eea7p+2}, {"2.490627285651253", 0x1.3eccdff932dd6p+1},
    {"0", 0x0p+0}, {"-12.411077166933676", -0x1.8d278b4d83996p+3}, {"30.33818863028232", 0x1.e569387b2f10dp+4}, {"-16.548102889244902", -0x1.08c5078902664p+4},
    {"0", 0x0p+0}, {"37.50931341651104", 0x1.2c1312e99aa1bp+5}, {"-88.1789048947664", -0x1.60b732d84076dp+6}, {"47.37952196281928", 0x1.7b0942cf93616p+5},
    {"0", 0x0p+0}, {"-27.896526289197286", -0x1.be582bf341b49p+4}, {"65.09189467479366", 0x1.045e19a33ba95p+6}, {"-34.87065786149661", -0x1.16f71b780910ep+5},
    {"0", 0x0p+0}, {"1.5", 0x1.8000000000000p+0}, {"-4.0", -0x1.0000000000000p+2}, {"2.5", 0x1.4000000000000p+1},
};

static const rk_coef tsit5_c[] = {
    {"0", 0x0p+0},
    {"161/1000", 0x1.49ba5e353f7cfp-3},
    {"327/1000", 0x1.4ed916872b021p-2},
    {"9/10", 0x1.ccccccccccccdp-1},
    {"0.9800255409045096857298102862870245954942137979563024768854764293221195950761080302604", 0x1.f5c5e85edbf1dp-1},
    {"1", 0x1p+0},
    {"1", 0x1p+0},
};

static const rk_coef cashkarp_a[] = {
    {"1/5", 0x1.999999999999ap-3},
    {"3/40", 0x1.3333333333333p-4}, {"9/40", 0x1.ccccccccccccdp-3},
    {"3/10", 0x1.3333333333333p-2}, {"-9/10", -0x1.ccccccccccccdp-1}, {"6/5", 0x1.3333333333333p+0},
    {"-11/54", -0x1.a12f684bda12fp-3},
    {"5/2", 0x1.4p+1},
    {"-70/27", -0x1.4bda12f684bdap+1},
    {"35/27", 0x1.4bda12f684bdap+0},
    {"1631/55296", 0x1.e3425ed097b42p-6},
    {"175/512", 0x1.5ep-2},
    {"575/13824", 0x1.54bda12f684bep-5},
    {"44275/110592", 0x1.99f425ed097b4p-2},
    {"253/4096", 0x1.fap-5},
};
static const rk_coef cashkarp_b[] = {
    {"37/378", 0x1.90ee643b990eep-4},
    {"0", 0x0p+0},
    {"250/621", 0x1.9c3d02e2bb28p-2},
    {"125/594", 0x1.aef9f76166929p-3},
    {"0", 0x0p+0},
    {"512/1771", 0x1.280a685dab4bp-2},
};
static const rk_coef cashkarp_bhat[] = {
    {"2825/27648", 0x1.a284bda12f685p-4},
    {"0", 0x0p+0},
    {"18575/48384", 0x1.891f2747c9d1fp-2},
    {"13525/55296", 0x1.f4ed097b425edp-3},
    {"277/14336", 0x1.3c92492492492p-6},
    {"1/4", 0x1p-2},
};
static const rk_coef cashkarp_c[] = {
    {"0", 0x0p+0},
    {"1/5", 0x1.999999999999ap-3},
    {"3/10", 0x1.3333333333333p-2},
    {"3/5", 0x1.3333333333333p-1},
    {"1", 0x1p+0},
    {"7/8", 0x1.cp-1},
};

static const rk_coef fehlberg45_a[] = {
    {"1/4", 0x1p-2},
    {"3/32", 0x1.8p-4}, {"9/32", 0x1.2p-2},
    {"1932/2197", 0x1.c23e39189614cp-1},
    {"-7200/2197", -0x1.a37b2a108bd3cp+1},
    {"7296/2197", 0x1.a912fe408db1p+1},
    {"439/216", 0x1.0425ed097b426p+1},
    {"-8", -0x1p+3},
    {"3680/513", 0x1.cb1a72c69cb1ap+2},
    {"-845/4104", -0x1.a5ad296b4a5adp-3},
    {"-8/27", -0x1.2f684bda12f68p-2},
    {"2", 0x1p+1},
    {"-3544/2565", -0x1.61b58ba0961b6p+0},
    {"1859/4104", 0x1.cfd813f604fd8p-2},
    {"-11/40", -0x1.199999999999ap-2},
};
static const rk_coef fehlberg45_b[] = {
    {"25/216", 0x1.da12f684bda13p-4},
    {"0", 0x0p+0},
    {"1408/2565", 0x1.190d13101190dp-1},
    {"2197/4104", 0x1.1216f485bd217p-1},
    {"-1/5", -0x1.999999999999ap-3},
    {"0", 0x0p+0},
};
static const rk_coef fehlberg45_bhat[] = {
    {"16/135", 0x1.e573ac901e574p-4},
    {"0", 0x0p+0},
    {"6656/12825", 0x1.09b89459aa352p-1},
    {"28561/56430", 0x1.0323aaacfd498p-1},
    {"-9/50", -0x1.70a3d70a3d70ap-3},
    {"2/55", 0x1.29e4129e4129ep-5},
};
static const rk_coef fehlberg45_c[] = {
    {"0", 0x0p+0},
    {"1/4", 0x1p-2},
    {"3/8", 0x1.8p-2},
    {"12/13", 0x1.d89d89d89d89ep-1},
    {"1", 0x1p+0},
    {"1/2", 0x1p-1},
};

static const rk_builtin builtins[] = {
    {"euler", 1, 1, NULL, euler_b, euler_c,
     "Forward Euler method "
     "(Euler 1768, Institutionum calculi integralis I)",
     NULL, 0, 0, 0, NULL, 0},
    {"midpoint", 2, 2, midpoint_a, midpoint_b, midpoint_c,
     "Explicit midpoint rule "
     "(Runge 1895, Math. Ann. 46:167-178)",
     NULL, 0, 0, 0, NULL, 0},
    {"heun", 2, 2, heun_a, heun_b, heun_c,
     "Heun's method, the explicit trapezoidal rule "
     "(Heun 1900, Z. Math. Phys. 45:23-38)",
     NULL, 0, 0, 0, NULL, 0},
    {"ralston", 2, 2, ralston_a, ralston_b, ralston_c,
     "Ralston's second-order method with minimum error bound "
     "(Ralston 1962, Math. Comp. 16:431-437)",
     NULL, 0, 0, 0, NULL, 0},
    {"kutta3", 3, 3, kutta3_a, kutta3_b, kutta3_c,
     "Kutta's third-order method "
     "(Kutta 1901, Z. Math. Phys. 46:435-453)",
     NULL, 0, 0, 0, NULL, 0},
    {"heun3", 3, 3, heun3_a, heun3_b, heun3_c,
     "Heun's third-order method "
     "(Heun 1900, Z. Math. Phys. 45:23-38)",
     NULL, 0, 0, 0, NULL, 0},
    {"ralston3", 3, 3, ralston3_a, ralston3_b, ralston3_c,
     "Ralston's third-order method with minimum error bound "
     "(Ralston 1962, Math. Comp. 16:431-437)",
     NULL, 0, 0, 0, NULL, 0},
    {"ssprk3", 3, 3, ssprk3_a, ssprk3_b, ssprk3_c,
     "Third-order strong-stability-preserving method "
     "(Shu & Osher 1988, J. Comput. Phys. 77:439-471)",
     NULL, 0, 0, 0, NULL, 0},
    {"rk4", 4, 4, rk4_a, rk4_b, rk4_c,
     "Classical fourth-order Runge-Kutta method "
     "(Kutta 1901, Z. Math. Phys. 46:435-453)",
     NULL, 0, 0, 0, NULL, 0},
    {"rk38", 4, 4, rk38_a, rk38_b, rk38_c,
     "Kutta's fourth-order 3/8 rule "
     "(Kutta 1901, Z. Math. Phys. 46:435-453)",
     NULL, 0, 0, 0, NULL, 0},
    {"ralston4", 4, 4, ralston4_a, ralston4_b, ralston4_c,
     "Ralston's fourth-order method with minimum error bound "
     "(Ralston 1962, Math. Comp. 16:431-437)",
     NULL, 0, 0, 0, NULL, 0},
    {"dopri5", 7, 5, dopri5_a, NULL, dopri5_c,
     "Dormand-Prince 5(4) pair, FSAL; b are the fifth-order weights "
     "(Dormand & Prince 1980, J. Comput. Appl. Math. 6:19-26)",
     dopri5_bhat, 4, 1, 0, dopri5_dense, 4},
    {"bs3", 4, 3, bs3_a, NULL, bs3_c,
     "Bogacki-Shampine 3(2) pair, FSAL "
     "(Bogacki & Shampine 1989, Appl. Math. Lett. 2:321-325)",
     bs3_bhat, 2, 1, 1, NULL, 0},
    {"tsit5", 7, 5, tsit5_a, NULL, tsit5_c,
     "Tsitouras 5(4) pair, FSAL; decimals as in OrdinaryDiffEq.jl "
     "(Tsitouras 2011, Comput. Math. Appl. 62:770-775)",
     tsit5_bhat, 4, 1, 1, tsit5_dense, 4},
    {"cashkarp", 6, 5, cashkarp_a, cashkarp_b, cashkarp_c,
     "Cash-Karp 5(4) pair "
     "(Cash & Karp 1990, ACM Trans. Math. Softw. 16:201-222)",
     cashkarp_bhat, 4, 0, 1, NULL, 0},
    {"fehlberg45", 6, 4, fehlberg45_a, fehlberg45_b, fehlberg45_c,
     "Runge-Kutta-Fehlberg 4(5): b of order 4, bhat of order 5 "
     "(Fehlberg 1969, NASA TR R-315)",
     fehlberg45_bhat, 5, 0, 1, NULL, 0},
};

enum { NBUILTIN = (int)(sizeof builtins / sizeof builtins[0]) };

/* Longest description and exact text validate accepts; both are copied
 * into comments of generated C. */
#define DESCRIPTION_MAX 1024
#define EXACT_MAX 4096

rk_tableau *tableau_new(int s)
{
    if (s < 1 || s > RK_MAX_STAGES)
        return NULL;
    rk_tableau *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->s = s;
    t->A = calloc((size_t)s * (size_t)s, sizeof *t->A);
    t->b = calloc((size_t)s, sizeof *t->b);
    t->c = calloc((size_t)s, sizeof *t->c);
    if (!t->A || !t->b || !t->c) {
        tableau_free(t);
        return NULL;
    }
    return t;
}

static int n_exact(int s)
{
    return s * s + 2 * s;
}

void tableau_free(rk_tableau *t)
{
    if (!t)
        return;
    if (t->exact)
        for (int k = 0; k < n_exact(t->s); k++)
            free(t->exact[k]);
    free(t->exact);
    if (t->bhat_exact)
        for (int k = 0; k < t->s; k++)
            free(t->bhat_exact[k]);
    free(t->bhat_exact);
    free(t->bhat);
    if (t->dense_exact)
        for (int k = 0; k < t->s * t->dense_degree; k++)
            free(t->dense_exact[k]);
    free(t->dense_exact);
    free(t->dense);
    free(t->description);
    free(t->metadata_json);
    free(t->A);
    free(t->b);
    free(t->c);
    free(t);
}

/* strdup that maps NULL to NULL; *oom is set when a copy fails. */
static char *dup_or_null(const char *s, int *oom)
{
    if (!s)
        return NULL;
    char *d = strdup(s);
    if (!d)
        *oom = 1;
    return d;
}

int tableau_add_bhat(rk_tableau *t)
{
    if (!t->bhat)
        t->bhat = calloc((size_t)t->s, sizeof *t->bhat);
    return t->bhat ? 0 : -1;
}

/* The continuous extension of t into u; *oom is set on failure. */
static void copy_dense(rk_tableau *u, const rk_tableau *t, int *oom)
{
    size_t n = (size_t)t->s * (size_t)t->dense_degree;
    if (!t->dense || n == 0)
        return;
    u->dense = malloc(n * sizeof *u->dense);
    if (!u->dense) {
        *oom = 1;
        return;
    }
    memcpy(u->dense, t->dense, n * sizeof *u->dense);
    u->dense_degree = t->dense_degree;
    if (!t->dense_exact)
        return;
    u->dense_exact = calloc(n, sizeof *u->dense_exact);
    *oom |= !u->dense_exact;
    for (size_t k = 0; u->dense_exact && k < n; k++)
        u->dense_exact[k] = dup_or_null(t->dense_exact[k], oom);
}

/* The pair fields of t into u, a fresh copy; *oom is set on failure. */
static void copy_pair(rk_tableau *u, const rk_tableau *t, int *oom)
{
    u->embedded_order = t->embedded_order;
    u->fsal = t->fsal;
    if (!t->bhat)
        return;
    if (tableau_add_bhat(u)) {
        *oom = 1;
        return;
    }
    memcpy(u->bhat, t->bhat, (size_t)t->s * sizeof *u->bhat);
    if (!t->bhat_exact)
        return;
    u->bhat_exact = calloc((size_t)t->s, sizeof *u->bhat_exact);
    *oom |= !u->bhat_exact;
    for (int k = 0; u->bhat_exact && k < t->s; k++)
        u->bhat_exact[k] = dup_or_null(t->bhat_exact[k], oom);
}

rk_tableau *tableau_copy(const rk_tableau *t)
{
    if (!t)
        return NULL;
    rk_tableau *u = tableau_new(t->s);
    if (!u)
        return NULL;
    int s = t->s, oom = 0;
    memcpy(u->name, t->name, sizeof u->name);
    u->name[RK_NAME_MAX - 1] = '\0';
    u->order = t->order;
    memcpy(u->A, t->A, (size_t)s * (size_t)s * sizeof *u->A);
    memcpy(u->b, t->b, (size_t)s * sizeof *u->b);
    memcpy(u->c, t->c, (size_t)s * sizeof *u->c);
    u->description = dup_or_null(t->description, &oom);
    u->metadata_json = dup_or_null(t->metadata_json, &oom);
    if (t->exact) {
        u->exact = calloc((size_t)n_exact(s), sizeof *u->exact);
        oom |= !u->exact;
        for (int k = 0; u->exact && k < n_exact(s); k++)
            u->exact[k] = dup_or_null(t->exact[k], &oom);
    }
    copy_pair(u, t, &oom);
    copy_dense(u, t, &oom);
    if (oom) {
        tableau_free(u);
        return NULL;
    }
    return u;
}

int tableau_name_ok(const char *name)
{
    if (!name)
        return 0;
    size_t n = strnlen(name, RK_NAME_MAX);
    if (n == 0 || n >= RK_NAME_MAX)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char ch = name[i];
        int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                 (ch >= '0' && ch <= '9') || ch == '_' || ch == '.' ||
                 ch == '+' || ch == '-';
        if (!ok)
            return 0;
    }
    return 1;
}

/* ---- validation ---- */

/* Label of coefficient k of the exact array, counting stages from 1 as
 * Butcher's a_ij does. */
static void coef_label(const rk_tableau *t, int k, char *buf, size_t size)
{
    int s = t->s;
    if (k < s * s)
        snprintf(buf, size, "a[%d][%d]", k / s + 1, k % s + 1);
    else if (k < s * s + s)
        snprintf(buf, size, "b[%d]", k - s * s + 1);
    else
        snprintf(buf, size, "c[%d]", k - s * s - s + 1);
}

static double coef_value(const rk_tableau *t, int k)
{
    int s = t->s;
    if (k < s * s)
        return t->A[k];
    if (k < s * s + s)
        return t->b[k - s * s];
    return t->c[k - s * s - s];
}

static int check_finite(const rk_tableau *t, rk_error *err)
{
    for (int k = 0; k < n_exact(t->s); k++) {
        double v = coef_value(t, k);
        if (!isfinite(v)) {
            char label[32];
            coef_label(t, k, label, sizeof label);
            rk_error_set(err, "%s = %g is not finite; every coefficient "
                         "must be a finite number", label, v);
            return -1;
        }
    }
    return 0;
}

static int check_explicit(const rk_tableau *t, rk_error *err)
{
    int s = t->s;
    for (int i = 0; i < s; i++)
        for (int j = i; j < s; j++)
            if (t->A[i * s + j] != 0) {
                rk_error_set(err, "not explicit: a[%d][%d] = %.17g is %s "
                             "the diagonal; A must be zero on and above it",
                             i + 1, j + 1, t->A[i * s + j],
                             i == j ? "on" : "above");
                return -1;
            }
    return 0;
}

/* Distance to the next double above |x| (finite x). */
static double ulp(double x)
{
    x = fabs(x);
    double up = nextafter(x, INFINITY);
    return isinf(up) ? x - nextafter(x, 0) : up - x;
}

/* Compensated (Neumaier) sum, so the only error left to tolerate is the
 * rounding of the coefficients themselves. */
static double sum_exactish(const double *x, int n, double *maxabs)
{
    double sum = 0, comp = 0, m = 0;
    for (int k = 0; k < n; k++) {
        double t = sum + x[k];
        if (fabs(sum) >= fabs(x[k]))
            comp += (sum - t) + x[k];
        else
            comp += (x[k] - t) + sum;
        sum = t;
        m = fmax(m, fabs(x[k]));
    }
    *maxabs = m;
    return sum + comp;
}

/* Each of n rounded terms and the rounded target contribute half an ulp
 * of the largest of them; allow twice that. */
static int close_enough(double got, double want, double maxabs, int n)
{
    double scale = fmax(maxabs, fabs(want));
    return fabs(got - want) <= (double)(n + 1) * ulp(scale);
}

/* "x[1] + x[2]" or "x[1] + ... + x[n]"; row > 0 names a row of A. */
static const char *sum_text(char x, int row, int n, char *buf, size_t size)
{
    char first[40], last[40];
    if (row > 0) {
        snprintf(first, sizeof first, "%c[%d][1]", x, row);
        snprintf(last, sizeof last, "%c[%d][%d]", x, row, n);
    } else {
        snprintf(first, sizeof first, "%c[1]", x);
        snprintf(last, sizeof last, "%c[%d]", x, n);
    }
    snprintf(buf, size, "%s%s%s", first,
             n == 1 ? "" : n == 2 ? " + " : " + ... + ", n == 1 ? "" : last);
    return buf;
}

static int check_row_sums(const rk_tableau *t, rk_error *err)
{
    char buf[96];
    int s = t->s;
    for (int i = 0; i < s; i++) {
        double m, sum = sum_exactish(t->A + i * s, i, &m);
        if (i == 0 ? t->c[0] == 0 : close_enough(sum, t->c[i], m, i))
            continue;
        if (i == 0)
            rk_error_set(err, "c[1] = %.17g but row 1 of A is empty; the "
                         "first stage of an explicit method has c[1] = 0",
                         t->c[0]);
        else
            rk_error_set(err, "c[%d] = %.17g but row %d of A sums to %.17g; "
                         "c[%d] must equal %s", i + 1, t->c[i], i + 1, sum,
                         i + 1, sum_text('a', i + 1, i, buf, sizeof buf));
        return -1;
    }
    return 0;
}

static int check_weights(const rk_tableau *t, rk_error *err)
{
    char buf[96];
    double m, sum = sum_exactish(t->b, t->s, &m);
    if (close_enough(sum, 1.0, m, t->s))
        return 0;
    rk_error_set(err, "the weights b sum to %.17g, not 1; a consistent "
                 "method needs %s = 1", sum, sum_text('b', 0, t->s, buf,
                                                      sizeof buf));
    return -1;
}

static int check_order(const rk_tableau *t, rk_error *err)
{
    if (t->order < 0) {
        rk_error_set(err, "order %d is negative; use 0 when it is unknown",
                     t->order);
        return -1;
    }
    if (t->order > t->s) {
        rk_error_set(err, "order %d is impossible: an explicit method with "
                     "%d stages has order at most %d", t->order, t->s, t->s);
        return -1;
    }
    return 0;
}

/* Why text may not be copied into a C comment, or NULL if it may. */
static const char *text_problem(const char *text, size_t max, int empty_ok)
{
    size_t n = strlen(text);
    if (n == 0 && !empty_ok)
        return "is empty";
    if (n > max)
        return "is too long";
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)text[i] < 0x20 || (unsigned char)text[i] > 0x7e)
            return "has a character that is not printable ASCII";
    if (strstr(text, "*/") || strstr(text, "/*"))
        return "contains \"*/\" or \"/*\"";
    if (strchr(text, '\\'))
        return "contains a backslash";
    return NULL;
}

/* Names, descriptions and exact texts end up in generated C comments. */
static int check_texts(const rk_tableau *t, rk_error *err)
{
    if (t->name[0] && !tableau_name_ok(t->name)) {
        char shown[RK_NAME_MAX];
        size_t n = strnlen(t->name, RK_NAME_MAX - 1);
        for (size_t i = 0; i < n; i++)
            shown[i] = t->name[i] >= 0x20 && t->name[i] < 0x7f ? t->name[i]
                                                               : '?';
        shown[n] = '\0';
        rk_error_set(err, "invalid name \"%s\"; a name is 1 to %d of the "
                     "characters A-Z a-z 0-9 _ . + -", shown, RK_NAME_MAX - 1);
        return -1;
    }
    const char *why;
    if (t->description &&
        (why = text_problem(t->description, DESCRIPTION_MAX, 1))) {
        rk_error_set(err, "the description %s; it is copied into C comments, "
                     "so it must be one line of printable ASCII (at most %d "
                     "characters) without \"*/\", \"/*\" or backslashes",
                     why, DESCRIPTION_MAX);
        return -1;
    }
    for (int k = 0; t->exact && k < n_exact(t->s); k++) {
        if (!t->exact[k] || !(why = text_problem(t->exact[k], EXACT_MAX, 0)))
            continue;
        char label[32];
        coef_label(t, k, label, sizeof label);
        rk_error_set(err, "the exact text of %s %s; it must be a constant "
                     "expression such as \"1/6\" or \"(6-sqrt(6))/10\"",
                     label, why);
        return -1;
    }
    return 0;
}

static int check_bhat(const rk_tableau *t, rk_error *err)
{
    const char *why;
    for (int i = 0; i < t->s; i++) {
        if (!isfinite(t->bhat[i])) {
            rk_error_set(err, "bhat[%d] = %g is not finite; every coefficient "
                         "must be a finite number", i + 1, t->bhat[i]);
            return -1;
        }
        if (t->bhat_exact && t->bhat_exact[i] &&
            (why = text_problem(t->bhat_exact[i], EXACT_MAX, 0))) {
            rk_error_set(err, "the exact text of bhat[%d] %s; it must be a "
                         "constant expression such as \"1/6\"", i + 1, why);
            return -1;
        }
    }
    double m, sum = sum_exactish(t->bhat, t->s, &m);
    if (close_enough(sum, 1.0, m, t->s))
        return 0;
    rk_error_set(err, "the embedded weights bhat sum to %.17g, not 1; a "
                 "consistent embedded method needs their sum to be 1", sum);
    return -1;
}

static int check_embedded_order(const rk_tableau *t, rk_error *err)
{
    if (t->embedded_order != 0 && !t->bhat) {
        rk_error_set(err, "embedded order %d given without bhat, the "
                     "embedded weights it is the order of", t->embedded_order);
        return -1;
    }
    if (t->embedded_order < 0 || t->embedded_order > t->s) {
        rk_error_set(err, "embedded order %d is impossible: use 0 when it is "
                     "unknown, at most %d for %d stages", t->embedded_order,
                     t->s, t->s);
        return -1;
    }
    return 0;
}

/* First same as last: the last stage is evaluated at the step's end
 * point with the step's own weights.  The doubles must agree bit for
 * bit: they are the rounded values of the same numbers. */
static int check_fsal(const rk_tableau *t, rk_error *err)
{
    int s = t->s;
    if (!t->fsal)
        return 0;
    for (int j = 0; j < s; j++) {
        double a = t->A[(s - 1) * s + j];
        if (a != t->b[j]) {
            rk_error_set(err, "\"fsal\" is set but a[%d][%d] = %.17g differs "
                         "from b[%d] = %.17g; first-same-as-last needs the last "
                         "row of A to equal b", s, j + 1, a, j + 1, t->b[j]);
            return -1;
        }
    }
    if (t->c[s - 1] != 1) {
        rk_error_set(err, "\"fsal\" is set but c[%d] = %.17g, not 1; the "
                     "last stage of a first-same-as-last method is at the "
                     "step's end", s, t->c[s - 1]);
        return -1;
    }
    return 0;
}

/* A continuous extension must reproduce b at th = 1, to rounding. */
static int check_dense(const rk_tableau *t, rk_error *err)
{
    if (!t->dense)
        return 0;
    if (t->dense_degree < 1 || t->dense_degree > TABLEAU_DENSE_MAX) {
        rk_error_set(err, "a continuous extension has degree 1 to %d, not %d",
                     TABLEAU_DENSE_MAX, t->dense_degree);
        return -1;
    }
    for (int j = 0; j < t->s; j++) {
        double sum = 0, m = fabs(t->b[j]);
        for (int r = 0; r < t->dense_degree; r++) {
            double v = t->dense[j * t->dense_degree + r];
            if (!isfinite(v)) {
                rk_error_set(err, "dense coefficient %d of stage %d is not finite", r + 1, j + 1);
                return -1;
            }
            sum += v;
            m = fabs(v) > m ? fabs(v) : m;
        }
        if (fabs(sum - t->b[j]) > 64 * 0x1p-52 * m) {
            rk_error_set(err, "the continuous extension gives b_%d(1) = %.17g, not b_%d = %.17g",
                         j + 1, sum, j + 1, t->b[j]);
            return -1;
        }
    }
    return 0;
}

static int check_pair(const rk_tableau *t, rk_error *err)
{
    if ((t->bhat && check_bhat(t, err)) || check_embedded_order(t, err) ||
        check_fsal(t, err) || check_dense(t, err))
        return -1;
    return 0;
}

int tableau_validate(const rk_tableau *t, rk_error *err)
{
    if (!t || t->s < 1 || t->s > RK_MAX_STAGES) {
        rk_error_set(err, "a tableau has 1 to %d stages, not %d",
                     RK_MAX_STAGES, t ? t->s : 0);
        return -1;
    }
    if (!t->A || !t->b || !t->c) {
        rk_error_set(err, "tableau has no coefficients (A, b or c missing)");
        return -1;
    }
    if (check_texts(t, err) || check_finite(t, err) ||
        check_explicit(t, err) || check_row_sums(t, err) ||
        check_weights(t, err) || check_order(t, err) || check_pair(t, err))
        return -1;
    return 0;
}

int tableau_stages_used(const rk_tableau *t, int *used)
{
    int n = 0;
    for (int j = 0; j < t->s; j++) {
        used[j] = t->b[j] != 0;
        for (int i = j + 1; i < t->s && !used[j]; i++)
            used[j] = t->A[i * t->s + j] != 0;
        n += used[j];
    }
    return n;
}

/* ---- built-ins ---- */

int tableau_builtin_count(void)
{
    return NBUILTIN;
}

const char *tableau_builtin_name(int i)
{
    return i >= 0 && i < NBUILTIN ? builtins[i].name : NULL;
}

int tableau_builtin_pair_only(int i)
{
    return i >= 0 && i < NBUILTIN && builtins[i].pair_only;
}

/* Sets coefficient k (index into the exact array) of t. */
static int set_coef(rk_tableau *t, int k, double *slot, const rk_coef *co)
{
    *slot = co->value;
    t->exact[k] = strdup(co->exact);
    return t->exact[k] ? 0 : -1;
}

static int builtin_dense(rk_tableau *t, const rk_builtin *bt)
{
    int n = t->s * bt->dense_degree;
    t->dense = calloc((size_t)n, sizeof *t->dense);
    t->dense_exact = calloc((size_t)n, sizeof *t->dense_exact);
    if (!t->dense || !t->dense_exact)
        return -1;
    t->dense_degree = bt->dense_degree;
    for (int k = 0; k < n; k++) {
        t->dense[k] = bt->dense[k].value;
        if (!(t->dense_exact[k] = strdup(bt->dense[k].exact)))
            return -1;
    }
    return 0;
}

static int builtin_pair(rk_tableau *t, const rk_builtin *bt)
{
    t->embedded_order = bt->embedded_order;
    t->fsal = bt->fsal;
    t->bhat_exact = calloc((size_t)t->s, sizeof *t->bhat_exact);
    if (tableau_add_bhat(t) || !t->bhat_exact)
        return -1;
    for (int i = 0; i < t->s; i++) {
        t->bhat[i] = bt->bhat[i].value;
        if (!(t->bhat_exact[i] = strdup(bt->bhat[i].exact)))
            return -1;
    }
    return 0;
}

static rk_tableau *from_builtin(const rk_builtin *bt)
{
    int s = bt->s, rc = 0;
    rk_tableau *t = tableau_new(s);
    if (!t)
        return NULL;
    snprintf(t->name, sizeof t->name, "%s", bt->name);
    t->order = bt->order;
    t->description = strdup(bt->description);
    t->exact = calloc((size_t)n_exact(s), sizeof *t->exact);
    if (!t->description || !t->exact) {
        tableau_free(t);
        return NULL;
    }
    const rk_coef *a = bt->a;
    for (int i = 1; i < s; i++)
        for (int j = 0; j < i; j++)
            rc |= set_coef(t, i * s + j, &t->A[i * s + j], a++);
    static const rk_coef zero = {"0", 0x0p+0};
    const rk_coef *last = bt->a ? bt->a + (s - 1) * (s - 2) / 2 : NULL;
    for (int i = 0; i < s; i++) {
        const rk_coef *b = bt->b ? &bt->b[i] : i < s - 1 ? &last[i] : &zero;
        rc |= set_coef(t, s * s + i, &t->b[i], b);
        rc |= set_coef(t, s * s + s + i, &t->c[i], &bt->c[i]);
    }
    if (rc || (bt->bhat && builtin_pair(t, bt)) || (bt->dense && builtin_dense(t, bt))) {
        tableau_free(t);
        return NULL;
    }
    return t;
}

rk_tableau *tableau_builtin(const char *name)
{
    for (int i = 0; name && i < NBUILTIN; i++)
        if (strcmp(builtins[i].name, name) == 0)
            return from_builtin(&builtins[i]);
    return NULL;
}
