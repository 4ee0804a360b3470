"""matcher: matching and recommendation for vacancies and candidates on the Flemish labour market.

Packaged reference data: ESCO v1.1.1 (European Skills, Competences, Qualifications and
Occupations), European Commission, reused under Commission Decision 2011/833/EU; Belgian
postcodes from bpost with OpenStreetMap coordinates (ODbL).
"""

__version__ = "0.1.0"
ESCO_ATTRIBUTION = "ESCO v1.1.1, European Commission"
