DROP TABLE program;
DROP TABLE camera_ready;
DROP TABLE letter_templates;
DROP TABLE decision_release;
DROP TABLE decisions;
