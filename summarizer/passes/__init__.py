"""What the model is asked: prompt templates, draft answer schemas, and the plan of passes per article."""
