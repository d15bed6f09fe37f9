"""Offline code lists: ICD-10-CM diagnoses (icd10cm.py) and a short list of psychotherapy CPT codes
with our own plain descriptions (cpt.py)."""
