"""Verzoeken: residents ask for data (``data``) or propose an idea for their neighbourhood (``idee``),
others support them, and the addressed organisation answers in public (plugin ``openoverheid_verzoeken``)."""
