/*
 * codes.c - ISO 3166-1 alpha-3 and ISO 4217 code lists, written as
 * space-separated strings and looked up in a bit set of all 26^3 codes made
 * from them once (imports check a code or two on every record).
 */
#include <pthread.h>
#include <string.h>

#include "qm/codes.h"

static const char countries[] =
	" ABW AFG AGO AIA ALA ALB AND ARE ARG ARM ASM ATA ATF ATG AUS AUT AZE BDI BEL BEN"
	" BES BFA BGD BGR BHR BHS BIH BLM BLR BLZ BMU BOL BRA BRB BRN BTN BVT BWA CAF CAN"
	" CCK CHE CHL CHN CIV CMR COD COG COK COL COM CPV CRI CUB CUW CXR CYM CYP CZE DEU"
	" DJI DMA DNK DOM DZA ECU EGY ERI ESH ESP EST ETH FIN FJI FLK FRA FRO FSM GAB GBR"
	" GEO GGY GHA GIB GIN GLP GMB GNB GNQ GRC GRD GRL GTM GUF GUM GUY HKG HMD HND HRV"
	" HTI HUN IDN IMN IND IOT IRL IRN IRQ ISL ISR ITA JAM JEY JOR JPN KAZ KEN KGZ KHM"
	" KIR KNA KOR KWT LAO LBN LBR LBY LCA LIE LKA LSO LTU LUX LVA MAC MAF MAR MCO MDA"
	" MDG MDV MEX MHL MKD MLI MLT MMR MNE MNG MNP MOZ MRT MSR MTQ MUS MWI MYS MYT NAM"
	" NCL NER NFK NGA NIC NIU NLD NOR NPL NRU NZL OMN PAK PAN PCN PER PHL PLW PNG POL"
	" PRI PRK PRT PRY PSE PYF QAT REU ROU RUS RWA SAU SDN SEN SGP SGS SHN SJM SLB SLE"
	" SLV SMR SOM SPM SRB SSD STP SUR SVK SVN SWE SWZ SXM SYC SYR TCA TCD TGO THA TJK"
	" TKL TKM TLS TON TTO TUN TUR TUV TWN TZA UGA UKR UMI URY USA UZB VAT VCT VEN VGB"
	" VIR VNM VUT WLF WSM YEM ZAF ZMB ZWE ";

static const char currencies[] =
	" AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL"
	" BSD BTN BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP"
	" ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR"
	" IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL"
	" LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR"
	" NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD"
	" SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX"
	" USD UYU UZS VES VND VUV WST XAF XCD XOF XPF YER ZAR ZMW ZWL"
	/* legacy codes in the ECB's historical reference rates */
	" CYP EEK HRK LTL LVL MTL ROL SIT SKK TRL ";

#define CODES (26 * 26 * 26)

static unsigned char country_set[CODES / 8], currency_set[CODES / 8];
static pthread_once_t sets_once = PTHREAD_ONCE_INIT;

/* The index of a code of three letters A-Z, or -1. */
static int code_index(const char *code)
{
	int i = 0;
	for (int k = 0; k < 3; k++) {
		if (code[k] < 'A' || code[k] > 'Z')
			return -1;
		i = i * 26 + (code[k] - 'A');
	}
	return code[3] == '\0' ? i : -1;
}

static void set_from(unsigned char *set, const char *list)
{
	for (const char *p = list; (p = strchr(p, ' ')) && p[1]; p += 4) {
		char code[4] = {p[1], p[2], p[3], '\0'};
		int i = code_index(code);
		set[i / 8] |= (unsigned char)(1u << (i % 8));
	}
}

static void make_sets(void)
{
	set_from(country_set, countries);
	set_from(currency_set, currencies);
}

static int in_list(const unsigned char *set, const char *code)
{
	pthread_once(&sets_once, make_sets);
	int i = code_index(code);
	return i >= 0 && (set[i / 8] >> (i % 8) & 1);
}

int qm_is_country_code(const char *code)
{
	return in_list(country_set, code);
}

int qm_is_currency_code(const char *code)
{
	return in_list(currency_set, code);
}
