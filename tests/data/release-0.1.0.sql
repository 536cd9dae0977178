-- A database written by rationale 0.1.0 (commit 8c4df58, before the package restructure):
-- grade of tests/data/tiny, a two-item scripted drill, a calibration batch, a revision, an
-- anonymized export (the pseudonym key), a failed critique and a cached LLM reply.
-- tests/test_migrations.py upgrades it; never regenerate it with newer code. (sqlite3's iterdump put the
-- semicolon of the escalations view after the view's trailing comment; it stands on its own line here.)
BEGIN TRANSACTION;
CREATE TABLE "_migrations" (
   "name" TEXT PRIMARY KEY,
   "applied_at" TEXT
);
INSERT INTO "_migrations" VALUES('m001_foundation','2026-12-02T06:06:55.450Z');
INSERT INTO "_migrations" VALUES('m030_drill','2026-12-02T06:06:55.482Z');
INSERT INTO "_migrations" VALUES('m040_settings_and_revisions','2026-12-02T06:06:55.499Z');
INSERT INTO "_migrations" VALUES('m010_critiques','2026-12-02T06:06:55.528Z');
INSERT INTO "_migrations" VALUES('m020_calibration','2026-12-02T06:06:55.566Z');
CREATE TABLE "calibration_annotators" (
   "batch_id" INTEGER REFERENCES "calibration_batches"("id"),
   "annotator" TEXT,
   "judged" INTEGER,
   "gold_items" INTEGER,
   "correct" INTEGER,
   "accuracy" REAL,
   "accuracy_low" REAL,
   "accuracy_high" REAL,
   "verdict" TEXT,
   "mean_score" REAL,
   "strength_credit" REAL,
   "kappa_with_peers" REAL,
   "agreement_with_peers" REAL,
   "reliability" REAL,
   "share_a" REAL,
   "gold_share_a" REAL,
   "tie_rate" REAL,
   "gold_tie_rate" REAL,
   "longer_rate" REAL,
   "gold_longer_rate" REAL,
   "consistency" REAL,
   "biases" TEXT,
   PRIMARY KEY ("batch_id", "annotator")
);
INSERT INTO "calibration_annotators" VALUES(1,'careful',24,24,24,1.0,8.62023795325019825952e-01,1.0,'meets threshold',100.0,1.0,4.59638833153264370068e-01,6.66666666666666629659e-01,9.74709775293210900493e-01,5.45454545454545414173e-01,5.45454545454545414173e-01,8.33333333333333287074e-02,8.33333333333333287074e-02,6.36363636363636353543e-01,6.36363636363636353543e-01,1.0,'[]');
INSERT INTO "calibration_annotators" VALUES(1,'lengthy',24,24,14,5.8333333333333337034e-01,3.88346658652287624047e-01,7.55323973901882439463e-01,'below threshold',4.75941666666666662877e+01,8.42592592592592559697e-01,1.51578138437048259845e-01,4.72222222222222265397e-01,6.31792936129232818309e-01,5.41666666666666629659e-01,5.45454545454545414173e-01,0.0,8.33333333333333287074e-02,1.0,6.36363636363636353543e-01,1.0,'["length: prefers the longer response 100% of the time, gold 64%"]');
INSERT INTO "calibration_annotators" VALUES(1,'rushed',12,12,10,8.3333333333333337034e-01,5.51969137747026605822e-01,9.530348578161462747e-01,'not enough evidence',8.59266666666666623086e+01,9.25925925925925930037e-01,3.52257038865414429107e-01,5.8333333333333337034e-01,8.19260074819453620875e-01,0.6,0.6,1.66666666666666657414e-01,1.66666666666666657414e-01,0.6,0.8,0.5,'["self-consistency: 1 of 2 repeated pairs answered differently (q01/q23 (swapped))"]');
INSERT INTO "calibration_annotators" VALUES(1,'tied',24,24,14,5.8333333333333337034e-01,3.88346658652287624047e-01,7.55323973901882439463e-01,'below threshold',5.87041666666666586129e+01,9.53703703703703609129e-01,2.46787078190509906461e-01,4.44444444444444475283e-01,6.09480271586710142805e-01,5.8333333333333337034e-01,5.45454545454545414173e-01,0.5,8.33333333333333287074e-02,6.66666666666666629659e-01,6.36363636363636353543e-01,1.0,'["ties: calls a tie 50% of the time, gold 8%"]');
CREATE TABLE "calibration_batches" (
   "id" INTEGER PRIMARY KEY,
   "name" TEXT,
   "run_id" INTEGER REFERENCES "runs"("id"),
   "rubric_hash" TEXT,
   "created" TEXT,
   "threshold" REAL,
   "min_items" INTEGER,
   "items" INTEGER,
   "annotators" INTEGER,
   "judgments" INTEGER,
   "has_gold" INTEGER,
   "report" TEXT
);
INSERT INTO "calibration_batches" VALUES(1,'release',3,'061971fd844f34eb','2026-12-02T06:06:55.970Z',0.8,20,24,4,84,1,'{"batch":"release","rubric":{"id":"mini","version":"1","hash":"061971fd844f34eb"},"threshold":0.8,"min_items":20,"min_overlap":10,"items":24,"annotators":["careful","lengthy","rushed","tied"],"judgments":84,"has_gold":true,"agreement":{"preference":{"percent_agreement":{"value":0.5277777777777778,"low":0.39211484593837537,"high":0.6571616541353383,"n":24,"reason":null},"percent_agreement_without_ties":{"value":0.7285714285714285,"low":0.5967741935483871,"high":0.8625,"n":22,"reason":null},"fleiss_kappa":{"value":null,"low":null,"high":null,"n":24,"reason":"left out: items have different numbers of raters (3-4)"},"krippendorff_alpha":{"value":0.2549371633752242,"low":0.046459084314883776,"high":0.43357342657342657,"n":24,"reason":null},"gwet_ac1":{"value":0.30141320396540816,"low":0.08716004585454984,"high":0.5104093408556323,"n":24,"reason":null},"pabak":{"value":0.28125,"low":0.07291666666666674,"high":0.47916666666666674,"n":24,"reason":null},"cohen_kappa":{"raters":["careful","lengthy","tied","rushed"],"pairs":[{"a":"careful","b":"lengthy","value":0.22580645161290325,"low":-0.10772277227722778,"high":0.5745430026970333,"n":24,"reason":null},{"a":"careful","b":"tied","value":0.42583732057416257,"low":0.22216666666666665,"high":0.6747967479674797,"n":24,"reason":null},{"a":"careful","b":"rushed","value":0.7272727272727273,"low":0.25,"high":1.0,"n":12,"reason":null},{"a":"lengthy","b":"tied","value":0.10697674418604652,"low":-0.07042253521126751,"high":0.29756097560975603,"n":24,"reason":null},{"a":"lengthy","b":"rushed","value":0.12195121951219512,"low":-0.2857142857142858,"high":0.5716165413533832,"n":12,"reason":null},{"a":"tied","b":"rushed","value":0.2075471698113206,"low":-0.03458222811671094,"high":0.5296380090497735,"n":12,"reason":null}]},"pairwise_agreement":{"raters":["careful","lengthy","tied","rushed"],"values":[[null,0.5833333333333334,0.5833333333333334,0.8333333333333334],[0.5833333333333334,null,0.3333333333333333,0.5],[0.5833333333333334,0.3333333333333333,null,0.4166666666666667],[0.8333333333333334,0.5,0.4166666666666667,null]],"overlap":[[0,24,24,12],[24,0,24,12],[24,24,0,12],[12,12,12,0]]}},"strength":{"percent_agreement":{"value":0.5277777777777778,"low":0.39211484593837537,"high":0.6571616541353383,"n":24,"reason":null},"krippendorff_alpha":{"value":0.3538429327716057,"low":0.08964288285660023,"high":0.5729411080322474,"n":24,"reason":null},"weighted_kappa_linear":{"raters":["careful","lengthy","tied","rushed"],"pairs":[{"a":"careful","b":"lengthy","value":0.2447552447552448,"low":-0.12022299651567954,"high":0.5890489087973332,"n":24,"reason":null},{"a":"careful","b":"tied","value":0.5620437956204379,"low":0.3444408532643828,"high":0.7521420138303254,"n":24,"reason":null},{"a":"careful","b":"rushed","value":0.6470588235294117,"low":0.1428571428571428,"high":1.0,"n":12,"reason":null},{"a":"lengthy","b":"tied","value":0.16083916083916094,"low":-0.10580204778156999,"high":0.4001063829787233,"n":24,"reason":null},{"a":"lengthy","b":"rushed","value":0.1428571428571429,"low":-0.35024999999999984,"high":0.6006249999999994,"n":12,"reason":null},{"a":"tied","b":"rushed","value":0.22580645161290325,"low":-0.15384615384615374,"high":0.6129032258064516,"n":12,"reason":null}]},"weighted_kappa_quadratic":{"raters":["careful","lengthy","tied","rushed"],"pairs":[{"a":"careful","b":"lengthy","value":0.25547445255474466,"low":-0.12531366171003716,"high":0.6172207446808509,"n":24,"reason":null},{"a":"careful","b":"tied","value":0.7029702970297029,"low":0.4856575212866603,"high":0.8497024726669821,"n":24,"reason":null},{"a":"careful","b":"rushed","value":0.5862068965517242,"low":0.0,"high":1.0,"n":12,"reason":null},{"a":"lengthy","b":"tied","value":0.21495327102803752,"low":-0.14292207792207787,"high":0.5200281690140844,"n":24,"reason":null},{"a":"lengthy","b":"rushed","value":0.1562500000000001,"low":-0.40022727272727265,"high":0.6720012019230768,"n":12,"reason":null},{"a":"tied","b":"rushed","value":0.25,"low":-0.33333333333333326,"high":0.7097065682083171,"n":12,"reason":null}]}}},"annotator_results":[{"name":"careful","judged":24,"gold_items":24,"correct":24,"accuracy":1.0,"accuracy_low":0.8620237953250198,"accuracy_high":1.0,"verdict":"meets threshold","threshold_inside_interval":false,"mean_score":100.0,"strength_credit":1.0,"mean_strength_distance":0.0,"pass_rate":1.0,"confusion":{"A":{"A":12,"B":0,"tie":0},"B":{"A":0,"B":10,"tie":0},"tie":{"A":0,"B":0,"tie":2}},"missed_criteria":[],"missed_key_points":[],"position":{"count":12,"n":22,"rate":0.5454545454545454,"low":0.3465979532073494,"high":0.7307970581918668,"gold_rate":0.5454545454545454,"flagged":false},"ties":{"count":2,"n":24,"rate":0.08333333333333333,"low":0.023158815297043306,"high":0.25848802193210685,"gold_rate":0.08333333333333333,"flagged":false},"length":{"count":14,"n":22,"rate":0.6363636363636364,"low":0.42951708090131013,"high":0.8026679532963387,"gold_rate":0.6363636363636364,"flagged":false},"consistency":[{"first":"q00","second":"q22","swapped":false,"first_preference":"A","second_preference":"A","consistent":true},{"first":"q01","second":"q23","swapped":true,"first_preference":"B","second_preference":"A","consistent":true}],"kappa_with_peers":0.45963883315326437,"agreement_with_peers":0.6666666666666666,"reliability":0.9747097752932109,"biases":[],"consistency_rate":1.0},{"name":"lengthy","judged":24,"gold_items":24,"correct":14,"accuracy":0.5833333333333334,"accuracy_low":0.3883466586522876,"accuracy_high":0.7553239739018824,"verdict":"below threshold","threshold_inside_interval":false,"mean_score":47.594166666666666,"strength_credit":0.8425925925925926,"mean_strength_distance":1.5,"pass_rate":0.5833333333333334,"confusion":{"A":{"A":8,"B":4,"tie":0},"B":{"A":4,"B":6,"tie":0},"tie":{"A":1,"B":1,"tie":0}},"missed_criteria":[{"criterion":"correctness","name":"Correctness","missed":24,"decisive":24}],"missed_key_points":[{"item_id":"q00","key_point":"fact","text":"names the right capital"},{"item_id":"q01","key_point":"fact","text":"names the right capital"},{"item_id":"q02","key_point":"fact","text":"names the right capital"},{"item_id":"q03","key_point":"fact","text":"names the right capital"},{"item_id":"q04","key_point":"fact","text":"names the right capital"},{"item_id":"q05","key_point":"fact","text":"names the right capital"},{"item_id":"q06","key_point":"fact","text":"names the right capital"},{"item_id":"q07","key_point":"fact","text":"names the right capital"},{"item_id":"q08","key_point":"fact","text":"names the right capital"},{"item_id":"q09","key_point":"fact","text":"names the right capital"},{"item_id":"q10","key_point":"fact","text":"names the right capital"},{"item_id":"q11","key_point":"fact","text":"names the right capital"},{"item_id":"q12","key_point":"fact","text":"names the right capital"},{"item_id":"q13","key_point":"fact","text":"names the right capital"},{"item_id":"q14","key_point":"fact","text":"names the right capital"},{"item_id":"q15","key_point":"fact","text":"names the right capital"},{"item_id":"q16","key_point":"fact","text":"names the right capital"},{"item_id":"q17","key_point":"fact","text":"names the right capital"},{"item_id":"q18","key_point":"fact","text":"names the right capital"},{"item_id":"q19","key_point":"fact","text":"names the right capital"},{"item_id":"q20","key_point":"fact","text":"names the right capital"},{"item_id":"q21","key_point":"fact","text":"names the right capital"},{"item_id":"q22","key_point":"fact","text":"names the right capital"},{"item_id":"q23","key_point":"fact","text":"names the right capital"}],"position":{"count":13,"n":24,"rate":0.5416666666666666,"low":0.3507486535891948,"high":0.72108666268789,"gold_rate":0.5454545454545454,"flagged":false},"ties":{"count":0,"n":24,"rate":0.0,"low":0.0,"high":0.13797620467498017,"gold_rate":0.08333333333333333,"flagged":false},"length":{"count":24,"n":24,"rate":1.0,"low":0.8620237953250198,"high":1.0,"gold_rate":0.6363636363636364,"flagged":true},"consistency":[{"first":"q00","second":"q22","swapped":false,"first_preference":"A","second_preference":"A","consistent":true},{"first":"q01","second":"q23","swapped":true,"first_preference":"B","second_preference":"A","consistent":true}],"kappa_with_peers":0.15157813843704826,"agreement_with_peers":0.47222222222222227,"reliability":0.6317929361292328,"biases":["length: prefers the longer response 100% of the time, gold 64%"],"consistency_rate":1.0},{"name":"rushed","judged":12,"gold_items":12,"correct":10,"accuracy":0.8333333333333334,"accuracy_low":0.5519691377470266,"accuracy_high":0.9530348578161463,"verdict":"not enough evidence","threshold_inside_interval":true,"mean_score":85.92666666666666,"strength_credit":0.9259259259259259,"mean_strength_distance":0.6666666666666666,"pass_rate":0.8333333333333334,"confusion":{"A":{"A":5,"B":1,"tie":0},"B":{"A":1,"B":3,"tie":0},"tie":{"A":0,"B":0,"tie":2}},"missed_criteria":[{"criterion":"correctness","name":"Correctness","missed":2,"decisive":12}],"missed_key_points":[{"item_id":"q05","key_point":"fact","text":"names the right capital"},{"item_id":"q23","key_point":"fact","text":"names the right capital"}],"position":{"count":6,"n":10,"rate":0.6,"low":0.31267376973365824,"high":0.8318196702937638,"gold_rate":0.6,"flagged":false},"ties":{"count":2,"n":12,"rate":0.16666666666666666,"low":0.04696514218385378,"high":0.4480308622529734,"gold_rate":0.16666666666666666,"flagged":false},"length":{"count":6,"n":10,"rate":0.6,"low":0.31267376973365824,"high":0.8318196702937638,"gold_rate":0.8,"flagged":false},"consistency":[{"first":"q00","second":"q22","swapped":false,"first_preference":"A","second_preference":"A","consistent":true},{"first":"q01","second":"q23","swapped":true,"first_preference":"B","second_preference":"B","consistent":false}],"kappa_with_peers":0.35225703886541443,"agreement_with_peers":0.5833333333333334,"reliability":0.8192600748194536,"biases":["self-consistency: 1 of 2 repeated pairs answered differently (q01/q23 (swapped))"],"consistency_rate":0.5},{"name":"tied","judged":24,"gold_items":24,"correct":14,"accuracy":0.5833333333333334,"accuracy_low":0.3883466586522876,"accuracy_high":0.7553239739018824,"verdict":"below threshold","threshold_inside_interval":false,"mean_score":58.70416666666666,"strength_credit":0.9537037037037036,"mean_strength_distance":0.8333333333333334,"pass_rate":0.5833333333333334,"confusion":{"A":{"A":7,"B":0,"tie":5},"B":{"A":0,"B":5,"tie":5},"tie":{"A":0,"B":0,"tie":2}},"missed_criteria":[],"missed_key_points":[{"item_id":"q00","key_point":"fact","text":"names the right capital"},{"item_id":"q01","key_point":"fact","text":"names the right capital"},{"item_id":"q02","key_point":"fact","text":"names the right capital"},{"item_id":"q03","key_point":"fact","text":"names the right capital"},{"item_id":"q04","key_point":"fact","text":"names the right capital"},{"item_id":"q05","key_point":"fact","text":"names the right capital"},{"item_id":"q06","key_point":"fact","text":"names the right capital"},{"item_id":"q07","key_point":"fact","text":"names the right capital"},{"item_id":"q08","key_point":"fact","text":"names the right capital"},{"item_id":"q09","key_point":"fact","text":"names the right capital"},{"item_id":"q10","key_point":"fact","text":"names the right capital"},{"item_id":"q11","key_point":"fact","text":"names the right capital"},{"item_id":"q12","key_point":"fact","text":"names the right capital"},{"item_id":"q13","key_point":"fact","text":"names the right capital"},{"item_id":"q14","key_point":"fact","text":"names the right capital"},{"item_id":"q15","key_point":"fact","text":"names the right capital"},{"item_id":"q16","key_point":"fact","text":"names the right capital"},{"item_id":"q17","key_point":"fact","text":"names the right capital"},{"item_id":"q18","key_point":"fact","text":"names the right capital"},{"item_id":"q19","key_point":"fact","text":"names the right capital"},{"item_id":"q20","key_point":"fact","text":"names the right capital"},{"item_id":"q21","key_point":"fact","text":"names the right capital"},{"item_id":"q22","key_point":"fact","text":"names the right capital"},{"item_id":"q23","key_point":"fact","text":"names the right capital"}],"position":{"count":7,"n":12,"rate":0.5833333333333334,"low":0.31951131254954973,"high":0.8067396863412435,"gold_rate":0.5454545454545454,"flagged":false},"ties":{"count":12,"n":24,"rate":0.5,"low":0.3142742581957335,"high":0.6857257418042665,"gold_rate":0.08333333333333333,"flagged":true},"length":{"count":8,"n":12,"rate":0.6666666666666666,"low":0.39062208887279953,"high":0.8618799089087867,"gold_rate":0.6363636363636364,"flagged":false},"consistency":[{"first":"q00","second":"q22","swapped":false,"first_preference":"A","second_preference":"A","consistent":true},{"first":"q01","second":"q23","swapped":true,"first_preference":"B","second_preference":"A","consistent":true}],"kappa_with_peers":0.2467870781905099,"agreement_with_peers":0.4444444444444445,"reliability":0.6094802715867101,"biases":["ties: calls a tie 50% of the time, gold 8%"],"consistency_rate":1.0}],"consensus":{"items":[{"item_id":"q00","majority":"A","dawid_skene":"A","dawid_skene_confidence":0.9999736045533212,"gold":"A"},{"item_id":"q01","majority":"B","dawid_skene":"B","dawid_skene_confidence":0.9999707628572296,"gold":"B"},{"item_id":"q02","majority":"B","dawid_skene":"B","dawid_skene_confidence":0.9947239793820362,"gold":"B"},{"item_id":"q03","majority":"A","dawid_skene":"A","dawid_skene_confidence":0.9930778812559751,"gold":"A"},{"item_id":"q04","majority":"A","dawid_skene":"A","dawid_skene_confidence":0.9980867885435887,"gold":"A"},{"item_id":"q05","majority":"B","dawid_skene":"B","dawid_skene_confidence":0.9741458301870161,"gold":"B"},{"item_id":"q06","majority":"tie","dawid_skene":"tie","dawid_skene_confidence":0.9989157125908587,"gold":"tie"},{"item_id":"q07","majority":"tie","dawid_skene":"tie","dawid_skene_confidence":0.998873510130674,"gold":"tie"},{"item_id":"q08","majority":"A","dawid_skene":"A","dawid_skene_confidence":0.9980867885435887,"gold":"A"},{"item_id":"q09","majority":"B","dawid_skene":"B","dawid_skene_confidence":0.9984438980740159,"gold":"B"},{"item_id":"q10","majority":null,"dawid_skene":"B","dawid_skene_confidence":0.9618800808532592,"gold":"B"},{"item_id":"q11","majority":null,"dawid_skene":"A","dawid_skene_confidence":0.9583451232770384,"gold":"A"},{"item_id":"q12","majority":"A","dawid_skene":"A","dawid_skene_confidence":0.985665038703902,"gold":"A"},{"item_id":"q13","majority":"B","dawid_skene":"B","dawid_skene_confidence":0.9850880981267466,"gold":"B"},{"item_id":"q14","majority":"B","dawid_skene":"B","dawid_skene_confidence":0.9991900320873072,"gold":"B"},{"item_id":"q15","majority":"A","dawid_skene":"A","dawid_skene_confidence":0.999317742775424,"gold":"A"},{"item_id":"q16","majority":"A","dawid_skene":"A","dawid_skene_confidence":0.9997565154380011,"gold":"A"},{"item_id":"q17","majority":"B","dawid_skene":"B","dawid_skene_confidence":0.9996596995105119,"gold":"B"},{"item_id":"q18","majority":"B","dawid_skene":"B","dawid_skene_confidence":0.9991900320873072,"gold":"B"},{"item_id":"q19","majority":"A","dawid_skene":"A","dawid_skene_confidence":0.999317742775424,"gold":"A"},{"item_id":"q20","majority":"A","dawid_skene":"A","dawid_skene_confidence":0.9997565154380011,"gold":"A"},{"item_id":"q21","majority":"B","dawid_skene":"B","dawid_skene_confidence":0.9996596995105119,"gold":"B"},{"item_id":"q22","majority":"A","dawid_skene":"A","dawid_skene_confidence":0.9999736045533212,"gold":"A"},{"item_id":"q23","majority":"A","dawid_skene":"A","dawid_skene_confidence":0.9995409433883015,"gold":"A"}],"differ":[{"item_id":"q10","majority":null,"dawid_skene":"B","dawid_skene_confidence":0.9618800808532592},{"item_id":"q11","majority":null,"dawid_skene":"A","dawid_skene_confidence":0.9583451232770384}],"reliability":{"careful":0.9747097752932109,"lengthy":0.6317929361292328,"tied":0.6094802715867101,"rushed":0.8192600748194536},"em_iterations":15,"em_converged":true,"no_majority":2,"majority_accuracy":0.9166666666666666,"dawid_skene_accuracy":1.0},"contested":[{"item_id":"q10","entropy":1.584962500721156,"votes":{"A":["lengthy"],"B":["careful"],"tie":["tied"]},"criteria_by_side":{"A":{"helpfulness":1},"B":{"correctness":1},"tie":{"correctness":1}},"gold_preference":"B","key_points_missed":[{"key_point":"fact","text":"names the right capital","missed_by":2,"of":2}],"majority":null,"dawid_skene":"B"},{"item_id":"q11","entropy":1.584962500721156,"votes":{"A":["careful"],"B":["lengthy"],"tie":["tied"]},"criteria_by_side":{"A":{"correctness":1},"B":{"helpfulness":1},"tie":{"correctness":1}},"gold_preference":"A","key_points_missed":[{"key_point":"fact","text":"names the right capital","missed_by":2,"of":2}],"majority":null,"dawid_skene":"A"},{"item_id":"q02","entropy":1.5,"votes":{"A":["lengthy"],"B":["careful","rushed"],"tie":["tied"]},"criteria_by_side":{"A":{"helpfulness":1},"B":{"correctness":2},"tie":{"correctness":1}},"gold_preference":"B","key_points_missed":[{"key_point":"fact","text":"names the right capital","missed_by":2,"of":2}],"majority":"B","dawid_skene":"B"},{"item_id":"q03","entropy":1.5,"votes":{"A":["careful","rushed"],"B":["lengthy"],"tie":["tied"]},"criteria_by_side":{"A":{"correctness":2},"B":{"helpfulness":1},"tie":{"correctness":1}},"gold_preference":"A","key_points_missed":[{"key_point":"fact","text":"names the right capital","missed_by":2,"of":2}],"majority":"A","dawid_skene":"A"},{"item_id":"q05","entropy":1.5,"votes":{"A":["rushed"],"B":["careful","lengthy"],"tie":["tied"]},"criteria_by_side":{"A":{"helpfulness":1},"B":{"correctness":1,"helpfulness":1},"tie":{"correctness":1}},"gold_preference":"B","key_points_missed":[{"key_point":"fact","text":"names the right capital","missed_by":2,"of":2}],"majority":"B","dawid_skene":"B"},{"item_id":"q12","entropy":0.9182958340544896,"votes":{"A":["careful","lengthy"],"tie":["tied"]},"criteria_by_side":{"A":{"correctness":1,"helpfulness":1},"tie":{"correctness":1}},"gold_preference":"A","key_points_missed":[{"key_point":"fact","text":"names the right capital","missed_by":1,"of":1}],"majority":"A","dawid_skene":"A"},{"item_id":"q13","entropy":0.9182958340544896,"votes":{"B":["careful","lengthy"],"tie":["tied"]},"criteria_by_side":{"B":{"correctness":1,"helpfulness":1},"tie":{"correctness":1}},"gold_preference":"B","key_points_missed":[{"key_point":"fact","text":"names the right capital","missed_by":1,"of":1}],"majority":"B","dawid_skene":"B"},{"item_id":"q14","entropy":0.9182958340544896,"votes":{"A":["lengthy"],"B":["careful","tied"]},"criteria_by_side":{"A":{"helpfulness":1},"B":{"correctness":2}},"gold_preference":"B","key_points_missed":[{"key_point":"fact","text":"names the right capital","missed_by":1,"of":1}],"majority":"B","dawid_skene":"B"},{"item_id":"q15","entropy":0.9182958340544896,"votes":{"A":["careful","tied"],"B":["lengthy"]},"criteria_by_side":{"A":{"correctness":2},"B":{"helpfulness":1}},"gold_preference":"A","key_points_missed":[{"key_point":"fact","text":"names the right capital","missed_by":1,"of":1}],"majority":"A","dawid_skene":"A"},{"item_id":"q18","entropy":0.9182958340544896,"votes":{"A":["lengthy"],"B":["careful","tied"]},"criteria_by_side":{"A":{"helpfulness":1},"B":{"correctness":2}},"gold_preference":"B","key_points_missed":[{"key_point":"fact","text":"names the right capital","missed_by":1,"of":1}],"majority":"B","dawid_skene":"B"},{"item_id":"q19","entropy":0.9182958340544896,"votes":{"A":["careful","tied"],"B":["lengthy"]},"criteria_by_side":{"A":{"correctness":2},"B":{"helpfulness":1}},"gold_preference":"A","key_points_missed":[{"key_point":"fact","text":"names the right capital","missed_by":1,"of":1}],"majority":"A","dawid_skene":"A"},{"item_id":"q04","entropy":0.8112781244591328,"votes":{"A":["careful","lengthy","rushed"],"tie":["tied"]},"criteria_by_side":{"A":{"correctness":2,"helpfulness":1},"tie":{"correctness":1}},"gold_preference":"A","key_points_missed":[{"key_point":"fact","text":"names the right capital","missed_by":1,"of":1}],"majority":"A","dawid_skene":"A"},{"item_id":"q06","entropy":0.8112781244591328,"votes":{"A":["lengthy"],"tie":["careful","rushed","tied"]},"criteria_by_side":{"A":{"helpfulness":1},"tie":{"correctness":3}},"gold_preference":"tie","key_points_missed":[{"key_point":"fact","text":"names the right capital","missed_by":1,"of":1}],"majority":"tie","dawid_skene":"tie"},{"item_id":"q07","entropy":0.8112781244591328,"votes":{"B":["lengthy"],"tie":["careful","rushed","tied"]},"criteria_by_side":{"B":{"helpfulness":1},"tie":{"correctness":3}},"gold_preference":"tie","key_points_missed":[{"key_point":"fact","text":"names the right capital","missed_by":1,"of":1}],"majority":"tie","dawid_skene":"tie"},{"item_id":"q08","entropy":0.8112781244591328,"votes":{"A":["careful","lengthy","rushed"],"tie":["tied"]},"criteria_by_side":{"A":{"correctness":2,"helpfulness":1},"tie":{"correctness":1}},"gold_preference":"A","key_points_missed":[{"key_point":"fact","text":"names the right capital","missed_by":1,"of":1}],"majority":"A","dawid_skene":"A"},{"item_id":"q09","entropy":0.8112781244591328,"votes":{"B":["careful","lengthy","rushed"],"tie":["tied"]},"criteria_by_side":{"B":{"correctness":2,"helpfulness":1},"tie":{"correctness":1}},"gold_preference":"B","key_points_missed":[{"key_point":"fact","text":"names the right capital","missed_by":1,"of":1}],"majority":"B","dawid_skene":"B"},{"item_id":"q23","entropy":0.8112781244591328,"votes":{"A":["careful","lengthy","tied"],"B":["rushed"]},"criteria_by_side":{"A":{"correctness":2,"helpfulness":1},"B":{"helpfulness":1}},"gold_preference":"A","key_points_missed":[{"key_point":"fact","text":"names the right capital","missed_by":1,"of":1}],"majority":"A","dawid_skene":"A"}],"patterns":[{"criteria":["correctness","helpfulness"],"names":["Correctness","Helpfulness"],"items":["q02","q03","q05","q10","q11","q14","q15","q18"],"count":8}],"questions":["When Correctness and Helpfulness point to different responses (items q02, q03, q05, q10), which should decide? The rubric''s priority puts Correctness first; is that rule being applied, or is it unclear when it applies?","How close must two responses be to call a tie? 7 contested item(s) split between a tie and a preference (q10, q11, q02, q03).","“names the right capital” was missed 15 time(s) by votes that disagreed with gold (items q10, q11, q02, q03 and 6 more). Does the guideline tell annotators to look for it?"],"proposal":["Add a worked example contrasting Correctness with Helpfulness, using item q02, that states which wins and why.","State the tie rule with a borderline example on each side of it.","Name “names the right capital” as something to check, with item q10 as the example."],"notes":["Fleiss'' kappa is left out: items have different numbers of raters (3-4): it needs the same number of raters on every item; Krippendorff''s alpha and AC1 allow missing votes.","Most disagreements trade correctness against helpfulness (8 of 10 contested items)."]}');
CREATE TABLE "calibration_items" (
   "batch_id" INTEGER REFERENCES "calibration_batches"("id"),
   "item_id" TEXT,
   "votes" INTEGER,
   "entropy" REAL,
   "majority" TEXT,
   "dawid_skene" TEXT,
   "gold" TEXT,
   PRIMARY KEY ("batch_id", "item_id")
);
INSERT INTO "calibration_items" VALUES(1,'q00',4,0.0,'A','A','A');
INSERT INTO "calibration_items" VALUES(1,'q01',4,0.0,'B','B','B');
INSERT INTO "calibration_items" VALUES(1,'q02',4,1.5,'B','B','B');
INSERT INTO "calibration_items" VALUES(1,'q03',4,1.5,'A','A','A');
INSERT INTO "calibration_items" VALUES(1,'q04',4,8.11278124459132832235e-01,'A','A','A');
INSERT INTO "calibration_items" VALUES(1,'q05',4,1.5,'B','B','B');
INSERT INTO "calibration_items" VALUES(1,'q06',4,8.11278124459132832235e-01,'tie','tie','tie');
INSERT INTO "calibration_items" VALUES(1,'q07',4,8.11278124459132832235e-01,'tie','tie','tie');
INSERT INTO "calibration_items" VALUES(1,'q08',4,8.11278124459132832235e-01,'A','A','A');
INSERT INTO "calibration_items" VALUES(1,'q09',4,8.11278124459132832235e-01,'B','B','B');
INSERT INTO "calibration_items" VALUES(1,'q10',3,1.58496250072115607565e+00,NULL,'B','B');
INSERT INTO "calibration_items" VALUES(1,'q11',3,1.58496250072115607565e+00,NULL,'A','A');
INSERT INTO "calibration_items" VALUES(1,'q12',3,9.18295834054489557018e-01,'A','A','A');
INSERT INTO "calibration_items" VALUES(1,'q13',3,9.18295834054489557018e-01,'B','B','B');
INSERT INTO "calibration_items" VALUES(1,'q14',3,9.18295834054489557018e-01,'B','B','B');
INSERT INTO "calibration_items" VALUES(1,'q15',3,9.18295834054489557018e-01,'A','A','A');
INSERT INTO "calibration_items" VALUES(1,'q16',3,0.0,'A','A','A');
INSERT INTO "calibration_items" VALUES(1,'q17',3,0.0,'B','B','B');
INSERT INTO "calibration_items" VALUES(1,'q18',3,9.18295834054489557018e-01,'B','B','B');
INSERT INTO "calibration_items" VALUES(1,'q19',3,9.18295834054489557018e-01,'A','A','A');
INSERT INTO "calibration_items" VALUES(1,'q20',3,0.0,'A','A','A');
INSERT INTO "calibration_items" VALUES(1,'q21',3,0.0,'B','B','B');
INSERT INTO "calibration_items" VALUES(1,'q22',4,0.0,'A','A','A');
INSERT INTO "calibration_items" VALUES(1,'q23',4,8.11278124459132832235e-01,'A','A','A');
CREATE TABLE "calibration_votes" (
   "batch_id" INTEGER REFERENCES "calibration_batches"("id"),
   "annotator" TEXT,
   "item_id" TEXT,
   "preference" TEXT,
   "strength" INTEGER,
   "judgment_hash" TEXT,
   PRIMARY KEY ("batch_id", "annotator", "item_id")
);
INSERT INTO "calibration_votes" VALUES(1,'careful','q00','A',-2,'b360b7fff5954657');
INSERT INTO "calibration_votes" VALUES(1,'lengthy','q00','A',-2,'270df058d0672815');
INSERT INTO "calibration_votes" VALUES(1,'tied','q00','A',-2,'c6c5d33ae3bcdd71');
INSERT INTO "calibration_votes" VALUES(1,'rushed','q00','A',-2,'fca17a53295ec576');
INSERT INTO "calibration_votes" VALUES(1,'careful','q01','B',2,'a011ac46800dbabe');
INSERT INTO "calibration_votes" VALUES(1,'lengthy','q01','B',2,'dd7817e235a58bc4');
INSERT INTO "calibration_votes" VALUES(1,'tied','q01','B',2,'5b2e3feb75f08d90');
INSERT INTO "calibration_votes" VALUES(1,'rushed','q01','B',2,'b4c6c9ed15d2d134');
INSERT INTO "calibration_votes" VALUES(1,'careful','q02','B',2,'490806a21c751f81');
INSERT INTO "calibration_votes" VALUES(1,'lengthy','q02','A',-2,'2e398743cb027732');
INSERT INTO "calibration_votes" VALUES(1,'tied','q02','tie',0,'6c1c4d4858d6fcb4');
INSERT INTO "calibration_votes" VALUES(1,'rushed','q02','B',2,'2bd87f310667a07e');
INSERT INTO "calibration_votes" VALUES(1,'careful','q03','A',-2,'f434f7e161920bca');
INSERT INTO "calibration_votes" VALUES(1,'lengthy','q03','B',2,'1af24fed23a47977');
INSERT INTO "calibration_votes" VALUES(1,'tied','q03','tie',0,'7a644cae4b1298d2');
INSERT INTO "calibration_votes" VALUES(1,'rushed','q03','A',-2,'5c516c7450d394fb');
INSERT INTO "calibration_votes" VALUES(1,'careful','q04','A',-2,'88bb26ac718d29fa');
INSERT INTO "calibration_votes" VALUES(1,'lengthy','q04','A',-2,'c9f9228e101b6d11');
INSERT INTO "calibration_votes" VALUES(1,'tied','q04','tie',0,'5277f718409ad174');
INSERT INTO "calibration_votes" VALUES(1,'rushed','q04','A',-2,'18728cddb8c5b5f5');
INSERT INTO "calibration_votes" VALUES(1,'careful','q05','B',2,'073e85f28cbe937b');
INSERT INTO "calibration_votes" VALUES(1,'lengthy','q05','B',2,'1cb598cebc609b88');
INSERT INTO "calibration_votes" VALUES(1,'tied','q05','tie',0,'e9d0950c99033551');
INSERT INTO "calibration_votes" VALUES(1,'rushed','q05','A',-2,'7fc440df3e530927');
INSERT INTO "calibration_votes" VALUES(1,'careful','q06','tie',0,'ca02a188b352a364');
INSERT INTO "calibration_votes" VALUES(1,'lengthy','q06','A',-2,'67c6636b876db578');
INSERT INTO "calibration_votes" VALUES(1,'tied','q06','tie',0,'c3ae4788bcf75aa1');
INSERT INTO "calibration_votes" VALUES(1,'rushed','q06','tie',0,'a9dcc221de1827c8');
INSERT INTO "calibration_votes" VALUES(1,'careful','q07','tie',0,'0b67548d217bfd6f');
INSERT INTO "calibration_votes" VALUES(1,'lengthy','q07','B',2,'67a1a4c4fa60757f');
INSERT INTO "calibration_votes" VALUES(1,'tied','q07','tie',0,'c4c82740561b5739');
INSERT INTO "calibration_votes" VALUES(1,'rushed','q07','tie',0,'90f24ffcb7103b69');
INSERT INTO "calibration_votes" VALUES(1,'careful','q08','A',-2,'54e8e07cd28b377b');
INSERT INTO "calibration_votes" VALUES(1,'lengthy','q08','A',-2,'3535549aca5ebace');
INSERT INTO "calibration_votes" VALUES(1,'tied','q08','tie',0,'a4eeac7d097c7796');
INSERT INTO "calibration_votes" VALUES(1,'rushed','q08','A',-2,'b8ceed27743954c9');
INSERT INTO "calibration_votes" VALUES(1,'careful','q09','B',2,'1c0cf0cee6fd0b9a');
INSERT INTO "calibration_votes" VALUES(1,'lengthy','q09','B',2,'0ba7c1933c114b7d');
INSERT INTO "calibration_votes" VALUES(1,'tied','q09','tie',0,'8da17466dd01feda');
INSERT INTO "calibration_votes" VALUES(1,'rushed','q09','B',2,'d6fb35a6b33f1374');
INSERT INTO "calibration_votes" VALUES(1,'careful','q10','B',2,'2a9ba1c713814551');
INSERT INTO "calibration_votes" VALUES(1,'lengthy','q10','A',-2,'1bbbecb209d1e155');
INSERT INTO "calibration_votes" VALUES(1,'tied','q10','tie',0,'24a0636ea6aad391');
INSERT INTO "calibration_votes" VALUES(1,'careful','q11','A',-2,'394efe96afbaa6a8');
INSERT INTO "calibration_votes" VALUES(1,'lengthy','q11','B',2,'a24ea4d7ddf93008');
INSERT INTO "calibration_votes" VALUES(1,'tied','q11','tie',0,'5cd775e39503c270');
INSERT INTO "calibration_votes" VALUES(1,'careful','q12','A',-2,'f72e79331b5ba824');
INSERT INTO "calibration_votes" VALUES(1,'lengthy','q12','A',-2,'5f7063a53b04d803');
INSERT INTO "calibration_votes" VALUES(1,'tied','q12','tie',0,'3375bb1b98e33631');
INSERT INTO "calibration_votes" VALUES(1,'careful','q13','B',2,'1aa8301ee3f53075');
INSERT INTO "calibration_votes" VALUES(1,'lengthy','q13','B',2,'05d62f49cf60ef48');
INSERT INTO "calibration_votes" VALUES(1,'tied','q13','tie',0,'7cfd5e706498b32d');
INSERT INTO "calibration_votes" VALUES(1,'careful','q14','B',2,'ad1fa0a35f6a3045');
INSERT INTO "calibration_votes" VALUES(1,'lengthy','q14','A',-2,'15e29e3447bfa2fa');
INSERT INTO "calibration_votes" VALUES(1,'tied','q14','B',2,'f58ec9293f098311');
INSERT INTO "calibration_votes" VALUES(1,'careful','q15','A',-2,'d71a3922937e32c3');
INSERT INTO "calibration_votes" VALUES(1,'lengthy','q15','B',2,'348f7f9b6a861726');
INSERT INTO "calibration_votes" VALUES(1,'tied','q15','A',-2,'c2c9b7a54021cc8a');
INSERT INTO "calibration_votes" VALUES(1,'careful','q16','A',-2,'b0b73b88e04cf2bf');
INSERT INTO "calibration_votes" VALUES(1,'lengthy','q16','A',-2,'096c1c7168766892');
INSERT INTO "calibration_votes" VALUES(1,'tied','q16','A',-2,'451af54998041f4f');
INSERT INTO "calibration_votes" VALUES(1,'careful','q17','B',2,'8e17570d71c864b9');
INSERT INTO "calibration_votes" VALUES(1,'lengthy','q17','B',2,'030c35cad8d6b8c0');
INSERT INTO "calibration_votes" VALUES(1,'tied','q17','B',2,'a5e3083fa5e25388');
INSERT INTO "calibration_votes" VALUES(1,'careful','q18','B',2,'a37177e57ff457b2');
INSERT INTO "calibration_votes" VALUES(1,'lengthy','q18','A',-2,'e718f108502721fa');
INSERT INTO "calibration_votes" VALUES(1,'tied','q18','B',2,'3ff0ca9aef5757d2');
INSERT INTO "calibration_votes" VALUES(1,'careful','q19','A',-2,'f1def3c61c01a50c');
INSERT INTO "calibration_votes" VALUES(1,'lengthy','q19','B',2,'1f7b16b760a87f89');
INSERT INTO "calibration_votes" VALUES(1,'tied','q19','A',-2,'05c2749e5c737e69');
INSERT INTO "calibration_votes" VALUES(1,'careful','q20','A',-2,'473697dce23b0fb2');
INSERT INTO "calibration_votes" VALUES(1,'lengthy','q20','A',-2,'949df33ce9adfad6');
INSERT INTO "calibration_votes" VALUES(1,'tied','q20','A',-2,'e664e8006ca682b6');
INSERT INTO "calibration_votes" VALUES(1,'careful','q21','B',2,'258be66125a59abd');
INSERT INTO "calibration_votes" VALUES(1,'lengthy','q21','B',2,'8a225796f60fc63c');
INSERT INTO "calibration_votes" VALUES(1,'tied','q21','B',2,'3b3fec0b299752ec');
INSERT INTO "calibration_votes" VALUES(1,'careful','q22','A',-2,'95892b0f260359c9');
INSERT INTO "calibration_votes" VALUES(1,'lengthy','q22','A',-2,'35a9e20c66e06f6a');
INSERT INTO "calibration_votes" VALUES(1,'tied','q22','A',-2,'32b510bdda64bcd6');
INSERT INTO "calibration_votes" VALUES(1,'rushed','q22','A',-2,'4d92d0ee5a6422bf');
INSERT INTO "calibration_votes" VALUES(1,'careful','q23','A',-2,'c03a4b1c65f108e4');
INSERT INTO "calibration_votes" VALUES(1,'lengthy','q23','A',-2,'b217eb61331e4f13');
INSERT INTO "calibration_votes" VALUES(1,'tied','q23','A',-2,'1055cdb608ae86c6');
INSERT INTO "calibration_votes" VALUES(1,'rushed','q23','B',2,'b5e4fee603fa6f43');
CREATE TABLE "critiques" (
   "id" TEXT PRIMARY KEY,
   "judgment_hash" TEXT REFERENCES "judgments"("hash"),
   "item_id" TEXT,
   "annotator" TEXT,
   "model" TEXT,
   "template_version" TEXT,
   "rubric_hash" TEXT,
   "gold_hash" TEXT,
   "with_gold" INTEGER,
   "swapped" INTEGER,
   "status" TEXT,
   "failure_reason" TEXT,
   "preference" TEXT,
   "strength" INTEGER,
   "verdict_ab" TEXT,
   "verdict_ba" TEXT,
   "consistent" INTEGER,
   "supports_choice" INTEGER,
   "confidence" REAL,
   "escalate" INTEGER,
   "escalation_reasons" TEXT,
   "injection_attempt" INTEGER,
   "tokens_in" INTEGER,
   "tokens_out" INTEGER,
   "cost" REAL,
   "latency" REAL,
   "body" TEXT,
   "run_id" INTEGER REFERENCES "runs"("id"),
   "created_at" TEXT
);
INSERT INTO "critiques" VALUES('11c52eacf91d2ff8','af50e1b99238440b','boil','ana','openai/fake','critique-v1','6a9cee5d4123bc0e','6e9fd6d4ced31659',0,1,'failed','HTTP 500 InternalServerError: boom',NULL,NULL,NULL,NULL,NULL,NULL,NULL,0,'[]',0,10,0,NULL,0.5,'{"judgment_hash": "af50e1b99238440b", "item_id": "boil", "annotator": "ana", "model": "openai/fake", "template_version": "critique-v1", "rubric_hash": "6a9cee5d4123bc0e", "with_gold": false, "status": "failed", "failure_reason": "HTTP 500 InternalServerError: boom", "criteria": [], "issues": [], "strengths": [], "verdict_ab": null, "verdict_ba": null, "consistent_across_orders": null, "preference": null, "strength": null, "supports_choice": null, "suggested_rationale": null, "confidence": null, "escalate": false, "escalation_reasons": [], "tokens_in": 10, "tokens_out": 0, "cost": null, "latency_seconds": 0.5, "raw_responses": []}',NULL,'2026-12-02T06:06:56.334Z');
CREATE TABLE "drill_presentations" (
   "session_id" INTEGER REFERENCES "drill_sessions"("id"),
   "position" INTEGER,
   "item_id" TEXT,
   "swapped" INTEGER,
   "shown_preference" TEXT,
   "shown_strength" INTEGER,
   "judgment_hash" TEXT REFERENCES "judgments"("hash"),
   "grade_id" TEXT REFERENCES "grades"("id"),
   "preference_correct" INTEGER,
   "passed" INTEGER,
   "score" REAL,
   "seconds" REAL,
   "answered_at" TEXT,
   PRIMARY KEY ("session_id", "position")
);
INSERT INTO "drill_presentations" VALUES(1,1,'capital',0,'A',-2,'e2b374aaebb3aa52','3e2ec8e943bef469',0,0,27.5,0.0,'2026-12-02T06:06:55.664Z');
INSERT INTO "drill_presentations" VALUES(1,2,'boil',0,'B',1,'bd041970e7fe321b','abe3877ef6d619bc',0,0,9.5,0.0,'2026-12-02T06:06:55.672Z');
CREATE TABLE "drill_schedule" (
   "annotator" TEXT,
   "item_id" TEXT,
   "box" INTEGER,
   "due_session" INTEGER,
   "times_seen" INTEGER,
   "times_passed" INTEGER,
   "last_passed" INTEGER,
   "last_session" INTEGER,
   PRIMARY KEY ("annotator", "item_id")
);
INSERT INTO "drill_schedule" VALUES('sam','capital',1,2,1,0,0,1);
INSERT INTO "drill_schedule" VALUES('sam','boil',1,2,1,0,0,1);
CREATE TABLE "drill_sessions" (
   "id" INTEGER PRIMARY KEY,
   "annotator" TEXT,
   "number" INTEGER,
   "item_order" TEXT,
   "requested" INTEGER,
   "seed" INTEGER,
   "items_path" TEXT,
   "gold_path" TEXT,
   "rubric_hash" TEXT,
   "run_id" INTEGER REFERENCES "runs"("id"),
   "started" TEXT,
   "finished" TEXT
);
INSERT INTO "drill_sessions" VALUES(1,'sam',1,'mixed',2,1,'tests/data/drill/items.jsonl','tests/data/drill/gold.jsonl','028266a12019ed84',2,'2026-12-02T06:06:55.657Z','2026-12-02T06:06:55.675Z');
CREATE TABLE "findings" (
   "id" INTEGER PRIMARY KEY,
   "grade_id" TEXT REFERENCES "grades"("id"),
   "code" TEXT,
   "severity" TEXT,
   "message" TEXT,
   "span" TEXT,
   "criterion" TEXT,
   "key_point" TEXT
);
INSERT INTO "findings" VALUES(1,'d484b0b402f077af','wrong_preference','critical','You chose Response A, but the lead chose Response B (B much better).',NULL,NULL,NULL);
INSERT INTO "findings" VALUES(2,'d484b0b402f077af','strength_off','critical','You rated the strength "A slightly better" (-1), but the lead rated it "B much better" (+2): 3 steps off.',NULL,NULL,NULL);
INSERT INTO "findings" VALUES(3,'d484b0b402f077af','missed_decisive_criterion','major','You did not rely on Honesty, which decides this pair.',NULL,'honesty',NULL);
INSERT INTO "findings" VALUES(4,'d484b0b402f077af','missed_key_point','major','Your rationale does not make this key point: Canberra, not Sydney, is the capital',NULL,NULL,'canberra');
INSERT INTO "findings" VALUES(5,'d484b0b402f077af','irrelevant_criterion','minor','You relied on Helpfulness, which does not decide this pair.',NULL,'helpfulness',NULL);
INSERT INTO "findings" VALUES(6,'d20c5bbc8018d6c9','fabricated_quote','critical','You quoted "water boils at exactly 99 degrees" as Response B, but it is in neither response.','water boils at exactly 99 degrees',NULL,NULL);
INSERT INTO "findings" VALUES(7,'d20c5bbc8018d6c9','held_back_by_critical','info','Your score reaches the pass mark, but a critical problem above means this answer does not pass yet.',NULL,NULL,NULL);
INSERT INTO "findings" VALUES(8,'3e2ec8e943bef469','wrong_preference','critical','You chose Response A, but the lead called it a tie (About the same).',NULL,NULL,NULL);
INSERT INTO "findings" VALUES(9,'3e2ec8e943bef469','fabricated_quote','critical','You quoted "quotes nothing real here" as Response A, but it is in neither response.','quotes nothing real here',NULL,NULL);
INSERT INTO "findings" VALUES(10,'3e2ec8e943bef469','strength_off','major','You rated the strength "A is much better" (-2), but the lead rated it "About the same" (+0): 2 steps off.',NULL,NULL,NULL);
INSERT INTO "findings" VALUES(11,'3e2ec8e943bef469','missed_key_point','major','Your rationale does not make this key point: Both name Canberra correctly.',NULL,NULL,'both-canberra');
INSERT INTO "findings" VALUES(12,'abe3877ef6d619bc','wrong_preference','critical','You chose Response B, but the lead chose Response A (A is slightly better).',NULL,NULL,NULL);
INSERT INTO "findings" VALUES(13,'abe3877ef6d619bc','strength_off','major','You rated the strength "B is slightly better" (+1), but the lead rated it "A is slightly better" (-1): 2 steps off.',NULL,NULL,NULL);
INSERT INTO "findings" VALUES(14,'abe3877ef6d619bc','missed_decisive_criterion','major','You did not rely on Concision, which decides this pair.',NULL,'concision',NULL);
INSERT INTO "findings" VALUES(15,'abe3877ef6d619bc','missed_key_point','major','Your rationale does not make this key point: B pads the same fact with filler ("Great question!").',NULL,NULL,'b-padding');
INSERT INTO "findings" VALUES(16,'abe3877ef6d619bc','no_evidence_quoted','major','You quoted no evidence from the responses: quote the words (3 or more) that support your choice.',NULL,NULL,NULL);
INSERT INTO "findings" VALUES(17,'abe3877ef6d619bc','too_short','major','Your rationale has 3 words; write at least 5 so a reader can check your reasoning.',NULL,NULL,NULL);
INSERT INTO "findings" VALUES(18,'abe3877ef6d619bc','no_criterion_cited','major','Your rationale appeals to no rubric criterion; say which one decides it (Honesty, Helpfulness, Concision).',NULL,NULL,NULL);
INSERT INTO "findings" VALUES(19,'70e20730e981f14c','missed_decisive_criterion','major','You did not rely on Correctness, which decides this pair.',NULL,'correctness',NULL);
INSERT INTO "findings" VALUES(20,'70e20730e981f14c','missed_key_point','major','Your rationale does not make this key point: names the right capital',NULL,NULL,'fact');
INSERT INTO "findings" VALUES(21,'70e20730e981f14c','irrelevant_criterion','minor','You relied on Helpfulness, which does not decide this pair.',NULL,'helpfulness',NULL);
INSERT INTO "findings" VALUES(22,'eb43d608a1c7c7dd','missed_key_point','major','Your rationale does not make this key point: names the right capital',NULL,NULL,'fact');
INSERT INTO "findings" VALUES(23,'3490bb52695e8032','missed_decisive_criterion','major','You did not rely on Correctness, which decides this pair.',NULL,'correctness',NULL);
INSERT INTO "findings" VALUES(24,'3490bb52695e8032','missed_key_point','major','Your rationale does not make this key point: names the right capital',NULL,NULL,'fact');
INSERT INTO "findings" VALUES(25,'3490bb52695e8032','irrelevant_criterion','minor','You relied on Helpfulness, which does not decide this pair.',NULL,'helpfulness',NULL);
INSERT INTO "findings" VALUES(26,'345f4d051f999c6b','missed_key_point','major','Your rationale does not make this key point: names the right capital',NULL,NULL,'fact');
INSERT INTO "findings" VALUES(27,'da4b91c9966b2a2d','wrong_preference','critical','You chose Response A, but the lead chose Response B (step 2).',NULL,NULL,NULL);
INSERT INTO "findings" VALUES(28,'da4b91c9966b2a2d','strength_off','critical','You rated the strength "step -2" (-2), but the lead rated it "step 2" (+2): 4 steps off.',NULL,NULL,NULL);
INSERT INTO "findings" VALUES(29,'da4b91c9966b2a2d','missed_decisive_criterion','major','You did not rely on Correctness, which decides this pair.',NULL,'correctness',NULL);
INSERT INTO "findings" VALUES(30,'da4b91c9966b2a2d','missed_key_point','major','Your rationale does not make this key point: names the right capital',NULL,NULL,'fact');
INSERT INTO "findings" VALUES(31,'da4b91c9966b2a2d','irrelevant_criterion','minor','You relied on Helpfulness, which does not decide this pair.',NULL,'helpfulness',NULL);
INSERT INTO "findings" VALUES(32,'a7a6707156d368df','wrong_preference','critical','You called it a tie, but the lead chose Response B (step 2).',NULL,NULL,NULL);
INSERT INTO "findings" VALUES(33,'a7a6707156d368df','strength_off','major','You rated the strength "step 0" (+0), but the lead rated it "step 2" (+2): 2 steps off.',NULL,NULL,NULL);
INSERT INTO "findings" VALUES(34,'a7a6707156d368df','missed_key_point','major','Your rationale does not make this key point: names the right capital',NULL,NULL,'fact');
INSERT INTO "findings" VALUES(35,'83e297d68a1eb53f','wrong_preference','critical','You chose Response B, but the lead chose Response A (step -2).',NULL,NULL,NULL);
INSERT INTO "findings" VALUES(36,'83e297d68a1eb53f','strength_off','critical','You rated the strength "step 2" (+2), but the lead rated it "step -2" (-2): 4 steps off.',NULL,NULL,NULL);
INSERT INTO "findings" VALUES(37,'83e297d68a1eb53f','missed_decisive_criterion','major','You did not rely on Correctness, which decides this pair.',NULL,'correctness',NULL);
INSERT INTO "findings" VALUES(38,'83e297d68a1eb53f','missed_key_point','major','Your rationale does not make this key point: names the right capital',NULL,NULL,'fact');
INSERT INTO "findings" VALUES(39,'83e297d68a1eb53f','irrelevant_criterion','minor','You relied on Helpfulness, which does not decide this pair.',NULL,'helpfulness',NULL);
INSERT INTO "findings" VALUES(40,'5387604248c7e5c6','wrong_preference','critical','You called it a tie, but the lead chose Response A (step -2).',NULL,NULL,NULL);
INSERT INTO "findings" VALUES(41,'5387604248c7e5c6','strength_off','major','You rated the strength "step 0" (+0), but the lead rated it "step -2" (-2): 2 steps off.',NULL,NULL,NULL);
INSERT INTO "findings" VALUES(42,'5387604248c7e5c6','missed_key_point','major','Your rationale does not make this key point: names the right capital',NULL,NULL,'fact');
INSERT INTO "findings" VALUES(43,'cba1f292ca78aba6','missed_decisive_criterion','major','You did not rely on Correctness, which decides this pair.',NULL,'correctness',NULL);
INSERT INTO "findings" VALUES(44,'cba1f292ca78aba6','missed_key_point','major','Your rationale does not make this key point: names the right capital',NULL,NULL,'fact');
INSERT INTO "findings" VALUES(45,'cba1f292ca78aba6','irrelevant_criterion','minor','You relied on Helpfulness, which does not decide this pair.',NULL,'helpfulness',NULL);
INSERT INTO "findings" VALUES(46,'7db19720b6253ddb','wrong_preference','critical','You called it a tie, but the lead chose Response A (step -2).',NULL,NULL,NULL);
INSERT INTO "findings" VALUES(47,'7db19720b6253ddb','strength_off','major','You rated the strength "step 0" (+0), but the lead rated it "step -2" (-2): 2 steps off.',NULL,NULL,NULL);
INSERT INTO "findings" VALUES(48,'7db19720b6253ddb','missed_key_point','major','Your rationale does not make this key point: names the right capital',NULL,NULL,'fact');
INSERT INTO "findings" VALUES(49,'4bf0d5d0eb1dd739','missed_decisive_criterion','major','You did not rely on Correctness, which decides this pair.',NULL,'correctness',NULL);
INSERT INTO "findings" VALUES(50,'4bf0d5d0eb1dd739','missed_key_point','major','Your rationale does not make this key point: names the right capital',NULL,NULL,'fact');
INSERT INTO "findings" VALUES(51,'4bf0d5d0eb1dd739','irrelevant_criterion','minor','You relied on Helpfulness, which does not decide this pair.',NULL,'helpfulness',NULL);
INSERT INTO "findings" VALUES(52,'98b974220536f9f4','wrong_preference','critical','You called it a tie, but the lead chose Response B (step 2).',NULL,NULL,NULL);
INSERT INTO "findings" VALUES(53,'98b974220536f9f4','strength_off','major','You rated the strength "step 0" (+0), but the lead rated it "step 2" (+2): 2 steps off.',NULL,NULL,NULL);
INSERT INTO "findings" VALUES(54,'98b974220536f9f4','missed_key_point','major','Your rationale does not make this key point: names the right capital',NULL,NULL,'fact');
INSERT INTO "findings" VALUES(55,'9f8dcd509ab855d6','wrong_preference','critical','You chose Response A, but the lead chose Response B (step 2).',NULL,NULL,NULL);
INSERT INTO "findings" VALUES(56,'9f8dcd509ab855d6','strength_off','critical','You rated the strength "step -2" (-2), but the lead rated it "step 2" (+2): 4 steps off.',NULL,NULL,NULL);
INSERT INTO "findings" VALUES(57,'9f8dcd509ab855d6','missed_decisive_criterion','major','You did not rely on Correctness, which decides this pair.',NULL,'correctness',NULL);
INSERT INTO "findings" VALUES(58,'9f8dcd509ab855d6','missed_key_point','major','Your rationale does not make this key point: names the right capital',NULL,NULL,'fact');
INSERT INTO "findings" VALUES(59,'9f8dcd509ab855d6','irrelevant_criterion','minor','You relied on Helpfulness, which does not decide this pair.',NULL,'helpfulness',NULL);
INSERT INTO "findings" VALUES(60,'28bbffd6383789a1','wrong_preference','critical','You chose Response A, but the lead called it a tie (step 0).',NULL,NULL,NULL);
INSERT INTO "findings" VALUES(61,'28bbffd6383789a1','strength_off','major','You rated the strength "step -2" (-2), but the lead rated it "step 0" (+0): 2 steps off.',NULL,NULL,NULL);
INSERT INTO "findings" VALUES(62,'28bbffd6383789a1','missed_decisive_criterion','major','You did not rely on Correctness, which decides this pair.',NULL,'correctness',NULL);
INSERT INTO "findings" VALUES(63,'28bbffd6383789a1','missed_key_point','major','Your rationale does not make this key point: names the right capital',NULL,NULL,'fact');
INSERT INTO "findings" VALUES(64,'28bbffd6383789a1','irrelevant_criterion','minor','You relied on Helpfulness, which does not decide this pair.',NULL,'helpfulness',NULL);
INSERT INTO "findings" VALUES(65,'b1b57b37ea1e6b24','missed_key_point','major','Your rationale does not make this key point: names the right capital',NULL,NULL,'fact');
INSERT INTO "findings" VALUES(66,'eff81e097dd22d1a','wrong_preference','critical','You chose Response B, but the lead called it a tie (step 0).',NULL,NULL,NULL);
INSERT INTO "findings" VALUES(67,'eff81e097dd22d1a','strength_off','major','You rated the strength "step 2" (+2), but the lead rated it "step 0" (+0): 2 steps off.',NULL,NULL,NULL);
INSERT INTO "findings" VALUES(68,'eff81e097dd22d1a','missed_decisive_criterion','major','You did not rely on Correctness, which decides this pair.',NULL,'correctness',NULL);
INSERT INTO "findings" VALUES(69,'eff81e097dd22d1a','missed_key_point','major','Your rationale does not make this key point: names the right capital',NULL,NULL,'fact');
INSERT INTO "findings" VALUES(70,'eff81e097dd22d1a','irrelevant_criterion','minor','You relied on Helpfulness, which does not decide this pair.',NULL,'helpfulness',NULL);
INSERT INTO "findings" VALUES(71,'06ed4ea30d3eb98e','missed_key_point','major','Your rationale does not make this key point: names the right capital',NULL,NULL,'fact');
INSERT INTO "findings" VALUES(72,'3b8d4967701d0564','missed_decisive_criterion','major','You did not rely on Correctness, which decides this pair.',NULL,'correctness',NULL);
INSERT INTO "findings" VALUES(73,'3b8d4967701d0564','missed_key_point','major','Your rationale does not make this key point: names the right capital',NULL,NULL,'fact');
INSERT INTO "findings" VALUES(74,'3b8d4967701d0564','irrelevant_criterion','minor','You relied on Helpfulness, which does not decide this pair.',NULL,'helpfulness',NULL);
INSERT INTO "findings" VALUES(75,'e1d40251ebd2dec6','wrong_preference','critical','You called it a tie, but the lead chose Response A (step -2).',NULL,NULL,NULL);
INSERT INTO "findings" VALUES(76,'e1d40251ebd2dec6','strength_off','major','You rated the strength "step 0" (+0), but the lead rated it "step -2" (-2): 2 steps off.',NULL,NULL,NULL);
INSERT INTO "findings" VALUES(77,'e1d40251ebd2dec6','missed_key_point','major','Your rationale does not make this key point: names the right capital',NULL,NULL,'fact');
INSERT INTO "findings" VALUES(78,'32466b89e243b800','missed_decisive_criterion','major','You did not rely on Correctness, which decides this pair.',NULL,'correctness',NULL);
INSERT INTO "findings" VALUES(79,'32466b89e243b800','missed_key_point','major','Your rationale does not make this key point: names the right capital',NULL,NULL,'fact');
INSERT INTO "findings" VALUES(80,'32466b89e243b800','irrelevant_criterion','minor','You relied on Helpfulness, which does not decide this pair.',NULL,'helpfulness',NULL);
INSERT INTO "findings" VALUES(81,'2c6391b7a6ab4c8b','wrong_preference','critical','You called it a tie, but the lead chose Response B (step 2).',NULL,NULL,NULL);
INSERT INTO "findings" VALUES(82,'2c6391b7a6ab4c8b','strength_off','major','You rated the strength "step 0" (+0), but the lead rated it "step 2" (+2): 2 steps off.',NULL,NULL,NULL);
INSERT INTO "findings" VALUES(83,'2c6391b7a6ab4c8b','missed_key_point','major','Your rationale does not make this key point: names the right capital',NULL,NULL,'fact');
INSERT INTO "findings" VALUES(84,'03e0b4b54d27db2a','wrong_preference','critical','You chose Response A, but the lead chose Response B (step 2).',NULL,NULL,NULL);
INSERT INTO "findings" VALUES(85,'03e0b4b54d27db2a','strength_off','critical','You rated the strength "step -2" (-2), but the lead rated it "step 2" (+2): 4 steps off.',NULL,NULL,NULL);
INSERT INTO "findings" VALUES(86,'03e0b4b54d27db2a','missed_decisive_criterion','major','You did not rely on Correctness, which decides this pair.',NULL,'correctness',NULL);
INSERT INTO "findings" VALUES(87,'03e0b4b54d27db2a','missed_key_point','major','Your rationale does not make this key point: names the right capital',NULL,NULL,'fact');
INSERT INTO "findings" VALUES(88,'03e0b4b54d27db2a','irrelevant_criterion','minor','You relied on Helpfulness, which does not decide this pair.',NULL,'helpfulness',NULL);
INSERT INTO "findings" VALUES(89,'05a7367dca978732','wrong_preference','critical','You called it a tie, but the lead chose Response B (step 2).',NULL,NULL,NULL);
INSERT INTO "findings" VALUES(90,'05a7367dca978732','strength_off','major','You rated the strength "step 0" (+0), but the lead rated it "step 2" (+2): 2 steps off.',NULL,NULL,NULL);
INSERT INTO "findings" VALUES(91,'05a7367dca978732','missed_key_point','major','Your rationale does not make this key point: names the right capital',NULL,NULL,'fact');
INSERT INTO "findings" VALUES(92,'9f88bebfc6321056','wrong_preference','critical','You chose Response B, but the lead chose Response A (step -2).',NULL,NULL,NULL);
INSERT INTO "findings" VALUES(93,'9f88bebfc6321056','strength_off','critical','You rated the strength "step 2" (+2), but the lead rated it "step -2" (-2): 4 steps off.',NULL,NULL,NULL);
INSERT INTO "findings" VALUES(94,'9f88bebfc6321056','missed_decisive_criterion','major','You did not rely on Correctness, which decides this pair.',NULL,'correctness',NULL);
INSERT INTO "findings" VALUES(95,'9f88bebfc6321056','missed_key_point','major','Your rationale does not make this key point: names the right capital',NULL,NULL,'fact');
INSERT INTO "findings" VALUES(96,'9f88bebfc6321056','irrelevant_criterion','minor','You relied on Helpfulness, which does not decide this pair.',NULL,'helpfulness',NULL);
INSERT INTO "findings" VALUES(97,'5010a71022829cbe','wrong_preference','critical','You called it a tie, but the lead chose Response A (step -2).',NULL,NULL,NULL);
INSERT INTO "findings" VALUES(98,'5010a71022829cbe','strength_off','major','You rated the strength "step 0" (+0), but the lead rated it "step -2" (-2): 2 steps off.',NULL,NULL,NULL);
INSERT INTO "findings" VALUES(99,'5010a71022829cbe','missed_key_point','major','Your rationale does not make this key point: names the right capital',NULL,NULL,'fact');
INSERT INTO "findings" VALUES(100,'34c550930d843bab','missed_decisive_criterion','major','You did not rely on Correctness, which decides this pair.',NULL,'correctness',NULL);
INSERT INTO "findings" VALUES(101,'34c550930d843bab','missed_key_point','major','Your rationale does not make this key point: names the right capital',NULL,NULL,'fact');
INSERT INTO "findings" VALUES(102,'34c550930d843bab','irrelevant_criterion','minor','You relied on Helpfulness, which does not decide this pair.',NULL,'helpfulness',NULL);
INSERT INTO "findings" VALUES(103,'b9e42f13fe35bb41','wrong_preference','critical','You called it a tie, but the lead chose Response A (step -2).',NULL,NULL,NULL);
INSERT INTO "findings" VALUES(104,'b9e42f13fe35bb41','strength_off','major','You rated the strength "step 0" (+0), but the lead rated it "step -2" (-2): 2 steps off.',NULL,NULL,NULL);
INSERT INTO "findings" VALUES(105,'b9e42f13fe35bb41','missed_key_point','major','Your rationale does not make this key point: names the right capital',NULL,NULL,'fact');
INSERT INTO "findings" VALUES(106,'91d13a8558f587b3','missed_decisive_criterion','major','You did not rely on Correctness, which decides this pair.',NULL,'correctness',NULL);
INSERT INTO "findings" VALUES(107,'91d13a8558f587b3','missed_key_point','major','Your rationale does not make this key point: names the right capital',NULL,NULL,'fact');
INSERT INTO "findings" VALUES(108,'91d13a8558f587b3','irrelevant_criterion','minor','You relied on Helpfulness, which does not decide this pair.',NULL,'helpfulness',NULL);
INSERT INTO "findings" VALUES(109,'d59cc13acb677a33','wrong_preference','critical','You called it a tie, but the lead chose Response B (step 2).',NULL,NULL,NULL);
INSERT INTO "findings" VALUES(110,'d59cc13acb677a33','strength_off','major','You rated the strength "step 0" (+0), but the lead rated it "step 2" (+2): 2 steps off.',NULL,NULL,NULL);
INSERT INTO "findings" VALUES(111,'d59cc13acb677a33','missed_key_point','major','Your rationale does not make this key point: names the right capital',NULL,NULL,'fact');
INSERT INTO "findings" VALUES(112,'61bacb46217cceb6','wrong_preference','critical','You chose Response A, but the lead chose Response B (step 2).',NULL,NULL,NULL);
INSERT INTO "findings" VALUES(113,'61bacb46217cceb6','strength_off','critical','You rated the strength "step -2" (-2), but the lead rated it "step 2" (+2): 4 steps off.',NULL,NULL,NULL);
INSERT INTO "findings" VALUES(114,'61bacb46217cceb6','missed_decisive_criterion','major','You did not rely on Correctness, which decides this pair.',NULL,'correctness',NULL);
INSERT INTO "findings" VALUES(115,'61bacb46217cceb6','missed_key_point','major','Your rationale does not make this key point: names the right capital',NULL,NULL,'fact');
INSERT INTO "findings" VALUES(116,'61bacb46217cceb6','irrelevant_criterion','minor','You relied on Helpfulness, which does not decide this pair.',NULL,'helpfulness',NULL);
INSERT INTO "findings" VALUES(117,'b649c1e7329baff7','missed_key_point','major','Your rationale does not make this key point: names the right capital',NULL,NULL,'fact');
INSERT INTO "findings" VALUES(118,'b41b908830ffb766','wrong_preference','critical','You chose Response B, but the lead chose Response A (step -2).',NULL,NULL,NULL);
INSERT INTO "findings" VALUES(119,'b41b908830ffb766','strength_off','critical','You rated the strength "step 2" (+2), but the lead rated it "step -2" (-2): 4 steps off.',NULL,NULL,NULL);
INSERT INTO "findings" VALUES(120,'b41b908830ffb766','missed_decisive_criterion','major','You did not rely on Correctness, which decides this pair.',NULL,'correctness',NULL);
INSERT INTO "findings" VALUES(121,'b41b908830ffb766','missed_key_point','major','Your rationale does not make this key point: names the right capital',NULL,NULL,'fact');
INSERT INTO "findings" VALUES(122,'b41b908830ffb766','irrelevant_criterion','minor','You relied on Helpfulness, which does not decide this pair.',NULL,'helpfulness',NULL);
INSERT INTO "findings" VALUES(123,'9cf7924e97d11226','missed_key_point','major','Your rationale does not make this key point: names the right capital',NULL,NULL,'fact');
INSERT INTO "findings" VALUES(124,'7564ea4f016d7d1f','missed_decisive_criterion','major','You did not rely on Correctness, which decides this pair.',NULL,'correctness',NULL);
INSERT INTO "findings" VALUES(125,'7564ea4f016d7d1f','missed_key_point','major','Your rationale does not make this key point: names the right capital',NULL,NULL,'fact');
INSERT INTO "findings" VALUES(126,'7564ea4f016d7d1f','irrelevant_criterion','minor','You relied on Helpfulness, which does not decide this pair.',NULL,'helpfulness',NULL);
INSERT INTO "findings" VALUES(127,'de2e61c076ce860c','missed_key_point','major','Your rationale does not make this key point: names the right capital',NULL,NULL,'fact');
INSERT INTO "findings" VALUES(128,'5dd6f4a895f44b48','missed_decisive_criterion','major','You did not rely on Correctness, which decides this pair.',NULL,'correctness',NULL);
INSERT INTO "findings" VALUES(129,'5dd6f4a895f44b48','missed_key_point','major','Your rationale does not make this key point: names the right capital',NULL,NULL,'fact');
INSERT INTO "findings" VALUES(130,'5dd6f4a895f44b48','irrelevant_criterion','minor','You relied on Helpfulness, which does not decide this pair.',NULL,'helpfulness',NULL);
INSERT INTO "findings" VALUES(131,'22f3b504d497922f','missed_key_point','major','Your rationale does not make this key point: names the right capital',NULL,NULL,'fact');
INSERT INTO "findings" VALUES(132,'e0fbbe53746804da','wrong_preference','critical','You chose Response A, but the lead chose Response B (step 2).',NULL,NULL,NULL);
INSERT INTO "findings" VALUES(133,'e0fbbe53746804da','strength_off','critical','You rated the strength "step -2" (-2), but the lead rated it "step 2" (+2): 4 steps off.',NULL,NULL,NULL);
INSERT INTO "findings" VALUES(134,'e0fbbe53746804da','missed_decisive_criterion','major','You did not rely on Correctness, which decides this pair.',NULL,'correctness',NULL);
INSERT INTO "findings" VALUES(135,'e0fbbe53746804da','missed_key_point','major','Your rationale does not make this key point: names the right capital',NULL,NULL,'fact');
INSERT INTO "findings" VALUES(136,'e0fbbe53746804da','irrelevant_criterion','minor','You relied on Helpfulness, which does not decide this pair.',NULL,'helpfulness',NULL);
INSERT INTO "findings" VALUES(137,'41a4e50846ccf22b','missed_key_point','major','Your rationale does not make this key point: names the right capital',NULL,NULL,'fact');
INSERT INTO "findings" VALUES(138,'7daf945f67fc3209','wrong_preference','critical','You chose Response B, but the lead chose Response A (step -2).',NULL,NULL,NULL);
INSERT INTO "findings" VALUES(139,'7daf945f67fc3209','strength_off','critical','You rated the strength "step 2" (+2), but the lead rated it "step -2" (-2): 4 steps off.',NULL,NULL,NULL);
INSERT INTO "findings" VALUES(140,'7daf945f67fc3209','missed_decisive_criterion','major','You did not rely on Correctness, which decides this pair.',NULL,'correctness',NULL);
INSERT INTO "findings" VALUES(141,'7daf945f67fc3209','missed_key_point','major','Your rationale does not make this key point: names the right capital',NULL,NULL,'fact');
INSERT INTO "findings" VALUES(142,'7daf945f67fc3209','irrelevant_criterion','minor','You relied on Helpfulness, which does not decide this pair.',NULL,'helpfulness',NULL);
INSERT INTO "findings" VALUES(143,'e3cd71a7e2106f42','missed_key_point','major','Your rationale does not make this key point: names the right capital',NULL,NULL,'fact');
INSERT INTO "findings" VALUES(144,'c2b2cb01a67981b0','missed_decisive_criterion','major','You did not rely on Correctness, which decides this pair.',NULL,'correctness',NULL);
INSERT INTO "findings" VALUES(145,'c2b2cb01a67981b0','missed_key_point','major','Your rationale does not make this key point: names the right capital',NULL,NULL,'fact');
INSERT INTO "findings" VALUES(146,'c2b2cb01a67981b0','irrelevant_criterion','minor','You relied on Helpfulness, which does not decide this pair.',NULL,'helpfulness',NULL);
INSERT INTO "findings" VALUES(147,'1a05e485ff984963','missed_key_point','major','Your rationale does not make this key point: names the right capital',NULL,NULL,'fact');
INSERT INTO "findings" VALUES(148,'d4c755a56841b0d7','missed_decisive_criterion','major','You did not rely on Correctness, which decides this pair.',NULL,'correctness',NULL);
INSERT INTO "findings" VALUES(149,'d4c755a56841b0d7','missed_key_point','major','Your rationale does not make this key point: names the right capital',NULL,NULL,'fact');
INSERT INTO "findings" VALUES(150,'d4c755a56841b0d7','irrelevant_criterion','minor','You relied on Helpfulness, which does not decide this pair.',NULL,'helpfulness',NULL);
INSERT INTO "findings" VALUES(151,'cabe9ee290914380','missed_key_point','major','Your rationale does not make this key point: names the right capital',NULL,NULL,'fact');
INSERT INTO "findings" VALUES(152,'98ccf3825c3a2305','missed_decisive_criterion','major','You did not rely on Correctness, which decides this pair.',NULL,'correctness',NULL);
INSERT INTO "findings" VALUES(153,'98ccf3825c3a2305','missed_key_point','major','Your rationale does not make this key point: names the right capital',NULL,NULL,'fact');
INSERT INTO "findings" VALUES(154,'98ccf3825c3a2305','irrelevant_criterion','minor','You relied on Helpfulness, which does not decide this pair.',NULL,'helpfulness',NULL);
INSERT INTO "findings" VALUES(155,'b08fe44d587ca1cb','missed_key_point','major','Your rationale does not make this key point: names the right capital',NULL,NULL,'fact');
INSERT INTO "findings" VALUES(156,'f78aa88efaef75ad','missed_decisive_criterion','major','You did not rely on Correctness, which decides this pair.',NULL,'correctness',NULL);
INSERT INTO "findings" VALUES(157,'f78aa88efaef75ad','missed_key_point','major','Your rationale does not make this key point: names the right capital',NULL,NULL,'fact');
INSERT INTO "findings" VALUES(158,'f78aa88efaef75ad','irrelevant_criterion','minor','You relied on Helpfulness, which does not decide this pair.',NULL,'helpfulness',NULL);
INSERT INTO "findings" VALUES(159,'90707084b68bfd4c','missed_key_point','major','Your rationale does not make this key point: names the right capital',NULL,NULL,'fact');
INSERT INTO "findings" VALUES(160,'6d8e0fdcf44b0346','wrong_preference','critical','You chose Response B, but the lead chose Response A (step -2).',NULL,NULL,NULL);
INSERT INTO "findings" VALUES(161,'6d8e0fdcf44b0346','strength_off','critical','You rated the strength "step 2" (+2), but the lead rated it "step -2" (-2): 4 steps off.',NULL,NULL,NULL);
INSERT INTO "findings" VALUES(162,'6d8e0fdcf44b0346','missed_decisive_criterion','major','You did not rely on Correctness, which decides this pair.',NULL,'correctness',NULL);
INSERT INTO "findings" VALUES(163,'6d8e0fdcf44b0346','missed_key_point','major','Your rationale does not make this key point: names the right capital',NULL,NULL,'fact');
INSERT INTO "findings" VALUES(164,'6d8e0fdcf44b0346','irrelevant_criterion','minor','You relied on Helpfulness, which does not decide this pair.',NULL,'helpfulness',NULL);
CREATE TABLE "gold" (
   "hash" TEXT PRIMARY KEY,
   "item_id" TEXT,
   "item_hash" TEXT REFERENCES "items"("hash"),
   "preference" TEXT,
   "strength" INTEGER,
   "difficulty" TEXT,
   "tags" TEXT,
   "body" TEXT
);
INSERT INTO "gold" VALUES('de2a3f957d6bc841','sum','e4ac21ea00d1c032','A',-2,'medium','[]','{"item_id":"sum","preference":"A","strength":-2,"acceptable":null,"decisive_criteria":["honesty"],"key_points":[{"id":"b-wrong","text":"B''s sum is wrong","cues":["= 5","is wrong","incorrect"],"pattern":null}],"reference_rationale":"A is correct: \"2 + 2 = 4\". B claims \"2 + 2 = 5\", which is false.","difficulty":"medium","tags":[]}');
INSERT INTO "gold" VALUES('a20c1b924a6bfbf5','capital','caf223ab55761d7d','B',2,'medium','[]','{"item_id":"capital","preference":"B","strength":2,"acceptable":null,"decisive_criteria":["honesty"],"key_points":[{"id":"canberra","text":"Canberra, not Sydney, is the capital","cues":["canberra"],"pattern":null}],"reference_rationale":"B is accurate: \"Canberra is the capital of Australia\"; A wrongly says Sydney.","difficulty":"medium","tags":[]}');
INSERT INTO "gold" VALUES('6e9fd6d4ced31659','boil','864aa38b8c363843','B',1,'medium','[]','{"item_id":"boil","preference":"B","strength":1,"acceptable":{"preferences":["tie"],"strength_min":0,"strength_max":2},"decisive_criteria":["helpfulness"],"key_points":[{"id":"fahrenheit","text":"B adds Fahrenheit","cues":["212","fahrenheit"],"pattern":null}],"reference_rationale":"Both are correct; B is slightly more helpful because it adds \"212 F\".","difficulty":"medium","tags":[]}');
INSERT INTO "gold" VALUES('cb5d6daaae8c5a81','moon','81a1031a3988a4e1','B',2,'medium','[]','{"item_id":"moon","preference":"B","strength":2,"acceptable":null,"decisive_criteria":["honesty"],"key_points":[{"id":"a-wrong-year","text":"A gives the wrong year (1972); the first Moon walk was 1969.","cues":["1972"],"pattern":null}],"reference_rationale":"B is much better on honesty: A says \"1972\", which is wrong; B correctly says \"1969\" and names Apollo 11.","difficulty":"medium","tags":[]}');
INSERT INTO "gold" VALUES('5836c9b4ec988b6d','capital','b8e8a4f4c27da320','tie',0,'medium','[]','{"item_id":"capital","preference":"tie","strength":0,"acceptable":null,"decisive_criteria":["honesty"],"key_points":[{"id":"both-canberra","text":"Both name Canberra correctly.","cues":["both"],"pattern":null}],"reference_rationale":"About the same: both correctly say \"Canberra\" in one short, accurate sentence.","difficulty":"medium","tags":[]}');
INSERT INTO "gold" VALUES('325e6502e9b4dc2e','boil','e3b5b09a396e3af3','A',-1,'medium','[]','{"item_id":"boil","preference":"A","strength":-1,"acceptable":null,"decisive_criteria":["concision"],"key_points":[{"id":"b-padding","text":"B pads the same fact with filler (\"Great question!\").","cues":["great question","padding","filler"],"pattern":null}],"reference_rationale":"A is slightly better on concision: both give the right fact, but B adds padding like \"Great question!\".","difficulty":"medium","tags":[]}');
INSERT INTO "gold" VALUES('fa5ba35f0d64a7ee','q00','76b68b6eb9329e86','A',-2,'medium','[]','{"item_id":"q00","preference":"A","strength":-2,"acceptable":null,"decisive_criteria":["correctness"],"key_points":[{"id":"fact","text":"names the right capital","cues":["right capital"],"pattern":null}],"reference_rationale":"The chosen response names the right capital.","difficulty":"medium","tags":[]}');
INSERT INTO "gold" VALUES('edf3288bc25ac646','q01','af8dddb353a369c4','B',2,'medium','[]','{"item_id":"q01","preference":"B","strength":2,"acceptable":null,"decisive_criteria":["correctness"],"key_points":[{"id":"fact","text":"names the right capital","cues":["right capital"],"pattern":null}],"reference_rationale":"The chosen response names the right capital.","difficulty":"medium","tags":[]}');
INSERT INTO "gold" VALUES('14b6fb488521c9e2','q02','102d15e22fc9b422','B',2,'medium','[]','{"item_id":"q02","preference":"B","strength":2,"acceptable":null,"decisive_criteria":["correctness"],"key_points":[{"id":"fact","text":"names the right capital","cues":["right capital"],"pattern":null}],"reference_rationale":"The chosen response names the right capital.","difficulty":"medium","tags":[]}');
INSERT INTO "gold" VALUES('dc58012ba1a34128','q03','f549cbb7eae69f16','A',-2,'medium','[]','{"item_id":"q03","preference":"A","strength":-2,"acceptable":null,"decisive_criteria":["correctness"],"key_points":[{"id":"fact","text":"names the right capital","cues":["right capital"],"pattern":null}],"reference_rationale":"The chosen response names the right capital.","difficulty":"medium","tags":[]}');
INSERT INTO "gold" VALUES('5a2249d35a6e3f63','q04','3f7723d330422862','A',-2,'medium','[]','{"item_id":"q04","preference":"A","strength":-2,"acceptable":null,"decisive_criteria":["correctness"],"key_points":[{"id":"fact","text":"names the right capital","cues":["right capital"],"pattern":null}],"reference_rationale":"The chosen response names the right capital.","difficulty":"medium","tags":[]}');
INSERT INTO "gold" VALUES('fced583425420d92','q05','e968d76df4546256','B',2,'medium','[]','{"item_id":"q05","preference":"B","strength":2,"acceptable":null,"decisive_criteria":["correctness"],"key_points":[{"id":"fact","text":"names the right capital","cues":["right capital"],"pattern":null}],"reference_rationale":"The chosen response names the right capital.","difficulty":"medium","tags":[]}');
INSERT INTO "gold" VALUES('fd3fc924e710b9ba','q06','59d74263c49ee537','tie',0,'medium','[]','{"item_id":"q06","preference":"tie","strength":0,"acceptable":null,"decisive_criteria":["correctness"],"key_points":[{"id":"fact","text":"names the right capital","cues":["right capital"],"pattern":null}],"reference_rationale":"The chosen response names the right capital.","difficulty":"medium","tags":[]}');
INSERT INTO "gold" VALUES('17a671bcbcfd6dda','q07','9fc246ce19b29b9d','tie',0,'medium','[]','{"item_id":"q07","preference":"tie","strength":0,"acceptable":null,"decisive_criteria":["correctness"],"key_points":[{"id":"fact","text":"names the right capital","cues":["right capital"],"pattern":null}],"reference_rationale":"The chosen response names the right capital.","difficulty":"medium","tags":[]}');
INSERT INTO "gold" VALUES('bff356a2d2dbedf9','q08','3f89c86651fab643','A',-2,'medium','[]','{"item_id":"q08","preference":"A","strength":-2,"acceptable":null,"decisive_criteria":["correctness"],"key_points":[{"id":"fact","text":"names the right capital","cues":["right capital"],"pattern":null}],"reference_rationale":"The chosen response names the right capital.","difficulty":"medium","tags":[]}');
INSERT INTO "gold" VALUES('9341c94e6ee0ecfa','q09','e3f2968af07caa3e','B',2,'medium','[]','{"item_id":"q09","preference":"B","strength":2,"acceptable":null,"decisive_criteria":["correctness"],"key_points":[{"id":"fact","text":"names the right capital","cues":["right capital"],"pattern":null}],"reference_rationale":"The chosen response names the right capital.","difficulty":"medium","tags":[]}');
INSERT INTO "gold" VALUES('504ce4662a50e933','q10','3b20103eba1b5141','B',2,'medium','[]','{"item_id":"q10","preference":"B","strength":2,"acceptable":null,"decisive_criteria":["correctness"],"key_points":[{"id":"fact","text":"names the right capital","cues":["right capital"],"pattern":null}],"reference_rationale":"The chosen response names the right capital.","difficulty":"medium","tags":[]}');
INSERT INTO "gold" VALUES('1da6bc3563f861ca','q11','bc7a8816b57e5fe9','A',-2,'medium','[]','{"item_id":"q11","preference":"A","strength":-2,"acceptable":null,"decisive_criteria":["correctness"],"key_points":[{"id":"fact","text":"names the right capital","cues":["right capital"],"pattern":null}],"reference_rationale":"The chosen response names the right capital.","difficulty":"medium","tags":[]}');
INSERT INTO "gold" VALUES('54812b8c1eed94d8','q12','2f104c9ffffcf290','A',-2,'medium','[]','{"item_id":"q12","preference":"A","strength":-2,"acceptable":null,"decisive_criteria":["correctness"],"key_points":[{"id":"fact","text":"names the right capital","cues":["right capital"],"pattern":null}],"reference_rationale":"The chosen response names the right capital.","difficulty":"medium","tags":[]}');
INSERT INTO "gold" VALUES('767631e79b877638','q13','eeb0197c22011043','B',2,'medium','[]','{"item_id":"q13","preference":"B","strength":2,"acceptable":null,"decisive_criteria":["correctness"],"key_points":[{"id":"fact","text":"names the right capital","cues":["right capital"],"pattern":null}],"reference_rationale":"The chosen response names the right capital.","difficulty":"medium","tags":[]}');
INSERT INTO "gold" VALUES('2f93942fa4de69d6','q14','b38fafea886e667c','B',2,'medium','[]','{"item_id":"q14","preference":"B","strength":2,"acceptable":null,"decisive_criteria":["correctness"],"key_points":[{"id":"fact","text":"names the right capital","cues":["right capital"],"pattern":null}],"reference_rationale":"The chosen response names the right capital.","difficulty":"medium","tags":[]}');
INSERT INTO "gold" VALUES('912bcc7d4920c84c','q15','cfdebb64b35237ab','A',-2,'medium','[]','{"item_id":"q15","preference":"A","strength":-2,"acceptable":null,"decisive_criteria":["correctness"],"key_points":[{"id":"fact","text":"names the right capital","cues":["right capital"],"pattern":null}],"reference_rationale":"The chosen response names the right capital.","difficulty":"medium","tags":[]}');
INSERT INTO "gold" VALUES('f71a3c293841ffc2','q16','828d57b69d4eec20','A',-2,'medium','[]','{"item_id":"q16","preference":"A","strength":-2,"acceptable":null,"decisive_criteria":["correctness"],"key_points":[{"id":"fact","text":"names the right capital","cues":["right capital"],"pattern":null}],"reference_rationale":"The chosen response names the right capital.","difficulty":"medium","tags":[]}');
INSERT INTO "gold" VALUES('eba3cc07c99341f5','q17','e672b43503d51f1b','B',2,'medium','[]','{"item_id":"q17","preference":"B","strength":2,"acceptable":null,"decisive_criteria":["correctness"],"key_points":[{"id":"fact","text":"names the right capital","cues":["right capital"],"pattern":null}],"reference_rationale":"The chosen response names the right capital.","difficulty":"medium","tags":[]}');
INSERT INTO "gold" VALUES('e7a0d98b421da094','q18','59102ae5444f21f4','B',2,'medium','[]','{"item_id":"q18","preference":"B","strength":2,"acceptable":null,"decisive_criteria":["correctness"],"key_points":[{"id":"fact","text":"names the right capital","cues":["right capital"],"pattern":null}],"reference_rationale":"The chosen response names the right capital.","difficulty":"medium","tags":[]}');
INSERT INTO "gold" VALUES('5bc8a36235b75632','q19','b71d488649ca8768','A',-2,'medium','[]','{"item_id":"q19","preference":"A","strength":-2,"acceptable":null,"decisive_criteria":["correctness"],"key_points":[{"id":"fact","text":"names the right capital","cues":["right capital"],"pattern":null}],"reference_rationale":"The chosen response names the right capital.","difficulty":"medium","tags":[]}');
INSERT INTO "gold" VALUES('1a947d706a1fe302','q20','244f6b2ac7daed08','A',-2,'medium','[]','{"item_id":"q20","preference":"A","strength":-2,"acceptable":null,"decisive_criteria":["correctness"],"key_points":[{"id":"fact","text":"names the right capital","cues":["right capital"],"pattern":null}],"reference_rationale":"The chosen response names the right capital.","difficulty":"medium","tags":[]}');
INSERT INTO "gold" VALUES('3a2eda5e6246fd4c','q21','b9912add35974c48','B',2,'medium','[]','{"item_id":"q21","preference":"B","strength":2,"acceptable":null,"decisive_criteria":["correctness"],"key_points":[{"id":"fact","text":"names the right capital","cues":["right capital"],"pattern":null}],"reference_rationale":"The chosen response names the right capital.","difficulty":"medium","tags":[]}');
INSERT INTO "gold" VALUES('1907a7e658b9afe2','q22','3a5fc98501c98703','A',-2,'medium','[]','{"item_id":"q22","preference":"A","strength":-2,"acceptable":null,"decisive_criteria":["correctness"],"key_points":[{"id":"fact","text":"names the right capital","cues":["right capital"],"pattern":null}],"reference_rationale":"The chosen response names the right capital.","difficulty":"medium","tags":[]}');
INSERT INTO "gold" VALUES('b953910f4655d83f','q23','346a3d39eff2870d','A',-2,'medium','[]','{"item_id":"q23","preference":"A","strength":-2,"acceptable":null,"decisive_criteria":["correctness"],"key_points":[{"id":"fact","text":"names the right capital","cues":["right capital"],"pattern":null}],"reference_rationale":"The chosen response names the right capital.","difficulty":"medium","tags":[]}');
CREATE TABLE "grades" (
   "id" TEXT PRIMARY KEY,
   "judgment_hash" TEXT REFERENCES "judgments"("hash"),
   "gold_hash" TEXT REFERENCES "gold"("hash"),
   "rubric_hash" TEXT REFERENCES "rubrics"("hash"),
   "item_id" TEXT,
   "annotator" TEXT,
   "score" REAL,
   "passed" INTEGER,
   "preference_correct" INTEGER,
   "strength_distance" INTEGER,
   "criteria_precision" REAL,
   "criteria_recall" REAL,
   "components" TEXT,
   "key_points_made" TEXT,
   "key_points_missed" TEXT,
   "run_id" INTEGER REFERENCES "runs"("id"),
   "graded_at" TEXT
);
INSERT INTO "grades" VALUES('1753c501b081a66e','47857638dafd1a48','de2a3f957d6bc841','6a9cee5d4123bc0e','sum','ana',100.0,1,1,0,1.0,1.0,'{"preference":1.0,"strength":1.0,"criteria":1.0,"key_points":1.0,"evidence":1.0,"rationale_quality":1.0}','["b-wrong"]','[]',1,'2026-12-02T06:06:55.577Z');
INSERT INTO "grades" VALUES('d484b0b402f077af','6863d431c1092885','a20c1b924a6bfbf5','6a9cee5d4123bc0e','capital','ana',24.38,0,0,3,0.0,0.0,'{"preference":0.0,"strength":0.4375,"criteria":0.0,"key_points":0.0,"evidence":1.0,"rationale_quality":1.0}','[]','["canberra"]',1,'2026-12-02T06:06:55.577Z');
INSERT INTO "grades" VALUES('d20c5bbc8018d6c9','af50e1b99238440b','6e9fd6d4ced31659','6a9cee5d4123bc0e','boil','ana',90.0,0,1,0,1.0,1.0,'{"preference":1.0,"strength":1.0,"criteria":1.0,"key_points":1.0,"evidence":0.0,"rationale_quality":1.0}','["fahrenheit"]','[]',1,'2026-12-02T06:06:55.577Z');
INSERT INTO "grades" VALUES('3e2ec8e943bef469','e2b374aaebb3aa52','5836c9b4ec988b6d','028266a12019ed84','capital','sam',27.5,0,0,2,1.0,1.0,'{"preference":0.0,"strength":0.75,"criteria":1.0,"key_points":0.0,"evidence":0.0,"rationale_quality":1.0}','[]','["both-canberra"]',2,'2026-12-02T06:06:55.663Z');
INSERT INTO "grades" VALUES('abe3877ef6d619bc','bd041970e7fe321b','325e6502e9b4dc2e','028266a12019ed84','boil','sam',9.5,0,0,2,0.0,0.0,'{"preference":0.0,"strength":0.75,"criteria":0.0,"key_points":0.0,"evidence":0.0,"rationale_quality":0.19999999999999996}','[]','["b-padding"]',2,'2026-12-02T06:06:55.672Z');
INSERT INTO "grades" VALUES('dd5100bb71503ad4','b360b7fff5954657','fa5ba35f0d64a7ee','061971fd844f34eb','q00','careful',100.0,1,1,0,1.0,1.0,'{"preference":1.0,"strength":1.0,"criteria":1.0,"key_points":1.0,"evidence":1.0,"rationale_quality":1.0}','["fact"]','[]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('70e20730e981f14c','270df058d0672815','fa5ba35f0d64a7ee','061971fd844f34eb','q00','lengthy',70.0,1,1,0,0.0,0.0,'{"preference":1.0,"strength":1.0,"criteria":0.0,"key_points":0.0,"evidence":1.0,"rationale_quality":1.0}','[]','["fact"]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('eb43d608a1c7c7dd','c6c5d33ae3bcdd71','fa5ba35f0d64a7ee','061971fd844f34eb','q00','tied',80.0,1,1,0,1.0,1.0,'{"preference":1.0,"strength":1.0,"criteria":1.0,"key_points":0.0,"evidence":1.0,"rationale_quality":1.0}','[]','["fact"]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('e9a0becc546fe541','fca17a53295ec576','fa5ba35f0d64a7ee','061971fd844f34eb','q00','rushed',100.0,1,1,0,1.0,1.0,'{"preference":1.0,"strength":1.0,"criteria":1.0,"key_points":1.0,"evidence":1.0,"rationale_quality":1.0}','["fact"]','[]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('2f9280a9407781f9','a011ac46800dbabe','edf3288bc25ac646','061971fd844f34eb','q01','careful',100.0,1,1,0,1.0,1.0,'{"preference":1.0,"strength":1.0,"criteria":1.0,"key_points":1.0,"evidence":1.0,"rationale_quality":1.0}','["fact"]','[]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('3490bb52695e8032','dd7817e235a58bc4','edf3288bc25ac646','061971fd844f34eb','q01','lengthy',70.0,1,1,0,0.0,0.0,'{"preference":1.0,"strength":1.0,"criteria":0.0,"key_points":0.0,"evidence":1.0,"rationale_quality":1.0}','[]','["fact"]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('345f4d051f999c6b','5b2e3feb75f08d90','edf3288bc25ac646','061971fd844f34eb','q01','tied',80.0,1,1,0,1.0,1.0,'{"preference":1.0,"strength":1.0,"criteria":1.0,"key_points":0.0,"evidence":1.0,"rationale_quality":1.0}','[]','["fact"]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('2cb500ec25dca873','b4c6c9ed15d2d134','edf3288bc25ac646','061971fd844f34eb','q01','rushed',100.0,1,1,0,1.0,1.0,'{"preference":1.0,"strength":1.0,"criteria":1.0,"key_points":1.0,"evidence":1.0,"rationale_quality":1.0}','["fact"]','[]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('e5cae99caeb4a3c0','490806a21c751f81','14b6fb488521c9e2','061971fd844f34eb','q02','careful',100.0,1,1,0,1.0,1.0,'{"preference":1.0,"strength":1.0,"criteria":1.0,"key_points":1.0,"evidence":1.0,"rationale_quality":1.0}','["fact"]','[]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('da4b91c9966b2a2d','2e398743cb027732','14b6fb488521c9e2','061971fd844f34eb','q02','lengthy',15.56,0,0,4,0.0,0.0,'{"preference":0.0,"strength":0.5555555555555556,"criteria":0.0,"key_points":0.0,"evidence":1.0,"rationale_quality":1.0}','[]','["fact"]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('a7a6707156d368df','6c1c4d4858d6fcb4','14b6fb488521c9e2','061971fd844f34eb','q02','tied',28.89,0,0,2,1.0,1.0,'{"preference":0.0,"strength":0.8888888888888888,"criteria":1.0,"key_points":0.0,"evidence":1.0,"rationale_quality":1.0}','[]','["fact"]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('75a46eca67719817','2bd87f310667a07e','14b6fb488521c9e2','061971fd844f34eb','q02','rushed',100.0,1,1,0,1.0,1.0,'{"preference":1.0,"strength":1.0,"criteria":1.0,"key_points":1.0,"evidence":1.0,"rationale_quality":1.0}','["fact"]','[]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('7f3cd503a5689fa0','f434f7e161920bca','dc58012ba1a34128','061971fd844f34eb','q03','careful',100.0,1,1,0,1.0,1.0,'{"preference":1.0,"strength":1.0,"criteria":1.0,"key_points":1.0,"evidence":1.0,"rationale_quality":1.0}','["fact"]','[]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('83e297d68a1eb53f','1af24fed23a47977','dc58012ba1a34128','061971fd844f34eb','q03','lengthy',15.56,0,0,4,0.0,0.0,'{"preference":0.0,"strength":0.5555555555555556,"criteria":0.0,"key_points":0.0,"evidence":1.0,"rationale_quality":1.0}','[]','["fact"]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('5387604248c7e5c6','7a644cae4b1298d2','dc58012ba1a34128','061971fd844f34eb','q03','tied',28.89,0,0,2,1.0,1.0,'{"preference":0.0,"strength":0.8888888888888888,"criteria":1.0,"key_points":0.0,"evidence":1.0,"rationale_quality":1.0}','[]','["fact"]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('f2b8e132f8570efe','5c516c7450d394fb','dc58012ba1a34128','061971fd844f34eb','q03','rushed',100.0,1,1,0,1.0,1.0,'{"preference":1.0,"strength":1.0,"criteria":1.0,"key_points":1.0,"evidence":1.0,"rationale_quality":1.0}','["fact"]','[]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('fab73cb5b4a264a2','88bb26ac718d29fa','5a2249d35a6e3f63','061971fd844f34eb','q04','careful',100.0,1,1,0,1.0,1.0,'{"preference":1.0,"strength":1.0,"criteria":1.0,"key_points":1.0,"evidence":1.0,"rationale_quality":1.0}','["fact"]','[]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('cba1f292ca78aba6','c9f9228e101b6d11','5a2249d35a6e3f63','061971fd844f34eb','q04','lengthy',70.0,1,1,0,0.0,0.0,'{"preference":1.0,"strength":1.0,"criteria":0.0,"key_points":0.0,"evidence":1.0,"rationale_quality":1.0}','[]','["fact"]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('7db19720b6253ddb','5277f718409ad174','5a2249d35a6e3f63','061971fd844f34eb','q04','tied',28.89,0,0,2,1.0,1.0,'{"preference":0.0,"strength":0.8888888888888888,"criteria":1.0,"key_points":0.0,"evidence":1.0,"rationale_quality":1.0}','[]','["fact"]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('dbc4b665b004cf5c','18728cddb8c5b5f5','5a2249d35a6e3f63','061971fd844f34eb','q04','rushed',100.0,1,1,0,1.0,1.0,'{"preference":1.0,"strength":1.0,"criteria":1.0,"key_points":1.0,"evidence":1.0,"rationale_quality":1.0}','["fact"]','[]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('d21d2ed305319a2b','073e85f28cbe937b','fced583425420d92','061971fd844f34eb','q05','careful',100.0,1,1,0,1.0,1.0,'{"preference":1.0,"strength":1.0,"criteria":1.0,"key_points":1.0,"evidence":1.0,"rationale_quality":1.0}','["fact"]','[]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('4bf0d5d0eb1dd739','1cb598cebc609b88','fced583425420d92','061971fd844f34eb','q05','lengthy',70.0,1,1,0,0.0,0.0,'{"preference":1.0,"strength":1.0,"criteria":0.0,"key_points":0.0,"evidence":1.0,"rationale_quality":1.0}','[]','["fact"]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('98b974220536f9f4','e9d0950c99033551','fced583425420d92','061971fd844f34eb','q05','tied',28.89,0,0,2,1.0,1.0,'{"preference":0.0,"strength":0.8888888888888888,"criteria":1.0,"key_points":0.0,"evidence":1.0,"rationale_quality":1.0}','[]','["fact"]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('9f8dcd509ab855d6','7fc440df3e530927','fced583425420d92','061971fd844f34eb','q05','rushed',15.56,0,0,4,0.0,0.0,'{"preference":0.0,"strength":0.5555555555555556,"criteria":0.0,"key_points":0.0,"evidence":1.0,"rationale_quality":1.0}','[]','["fact"]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('321389739cd51861','ca02a188b352a364','fd3fc924e710b9ba','061971fd844f34eb','q06','careful',100.0,1,1,0,1.0,1.0,'{"preference":1.0,"strength":1.0,"criteria":1.0,"key_points":1.0,"evidence":1.0,"rationale_quality":1.0}','["fact"]','[]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('28bbffd6383789a1','67c6636b876db578','fd3fc924e710b9ba','061971fd844f34eb','q06','lengthy',18.89,0,0,2,0.0,0.0,'{"preference":0.0,"strength":0.8888888888888888,"criteria":0.0,"key_points":0.0,"evidence":1.0,"rationale_quality":1.0}','[]','["fact"]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('b1b57b37ea1e6b24','c3ae4788bcf75aa1','fd3fc924e710b9ba','061971fd844f34eb','q06','tied',80.0,1,1,0,1.0,1.0,'{"preference":1.0,"strength":1.0,"criteria":1.0,"key_points":0.0,"evidence":1.0,"rationale_quality":1.0}','[]','["fact"]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('029c6bee2403d338','a9dcc221de1827c8','fd3fc924e710b9ba','061971fd844f34eb','q06','rushed',100.0,1,1,0,1.0,1.0,'{"preference":1.0,"strength":1.0,"criteria":1.0,"key_points":1.0,"evidence":1.0,"rationale_quality":1.0}','["fact"]','[]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('1e6947e9c4666297','0b67548d217bfd6f','17a671bcbcfd6dda','061971fd844f34eb','q07','careful',100.0,1,1,0,1.0,1.0,'{"preference":1.0,"strength":1.0,"criteria":1.0,"key_points":1.0,"evidence":1.0,"rationale_quality":1.0}','["fact"]','[]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('eff81e097dd22d1a','67a1a4c4fa60757f','17a671bcbcfd6dda','061971fd844f34eb','q07','lengthy',18.89,0,0,2,0.0,0.0,'{"preference":0.0,"strength":0.8888888888888888,"criteria":0.0,"key_points":0.0,"evidence":1.0,"rationale_quality":1.0}','[]','["fact"]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('06ed4ea30d3eb98e','c4c82740561b5739','17a671bcbcfd6dda','061971fd844f34eb','q07','tied',80.0,1,1,0,1.0,1.0,'{"preference":1.0,"strength":1.0,"criteria":1.0,"key_points":0.0,"evidence":1.0,"rationale_quality":1.0}','[]','["fact"]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('cca1dae7b24f1a7b','90f24ffcb7103b69','17a671bcbcfd6dda','061971fd844f34eb','q07','rushed',100.0,1,1,0,1.0,1.0,'{"preference":1.0,"strength":1.0,"criteria":1.0,"key_points":1.0,"evidence":1.0,"rationale_quality":1.0}','["fact"]','[]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('c433803d9d78bf8e','54e8e07cd28b377b','bff356a2d2dbedf9','061971fd844f34eb','q08','careful',100.0,1,1,0,1.0,1.0,'{"preference":1.0,"strength":1.0,"criteria":1.0,"key_points":1.0,"evidence":1.0,"rationale_quality":1.0}','["fact"]','[]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('3b8d4967701d0564','3535549aca5ebace','bff356a2d2dbedf9','061971fd844f34eb','q08','lengthy',70.0,1,1,0,0.0,0.0,'{"preference":1.0,"strength":1.0,"criteria":0.0,"key_points":0.0,"evidence":1.0,"rationale_quality":1.0}','[]','["fact"]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('e1d40251ebd2dec6','a4eeac7d097c7796','bff356a2d2dbedf9','061971fd844f34eb','q08','tied',28.89,0,0,2,1.0,1.0,'{"preference":0.0,"strength":0.8888888888888888,"criteria":1.0,"key_points":0.0,"evidence":1.0,"rationale_quality":1.0}','[]','["fact"]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('7172ec40c76d43c7','b8ceed27743954c9','bff356a2d2dbedf9','061971fd844f34eb','q08','rushed',100.0,1,1,0,1.0,1.0,'{"preference":1.0,"strength":1.0,"criteria":1.0,"key_points":1.0,"evidence":1.0,"rationale_quality":1.0}','["fact"]','[]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('809d5e057619048d','1c0cf0cee6fd0b9a','9341c94e6ee0ecfa','061971fd844f34eb','q09','careful',100.0,1,1,0,1.0,1.0,'{"preference":1.0,"strength":1.0,"criteria":1.0,"key_points":1.0,"evidence":1.0,"rationale_quality":1.0}','["fact"]','[]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('32466b89e243b800','0ba7c1933c114b7d','9341c94e6ee0ecfa','061971fd844f34eb','q09','lengthy',70.0,1,1,0,0.0,0.0,'{"preference":1.0,"strength":1.0,"criteria":0.0,"key_points":0.0,"evidence":1.0,"rationale_quality":1.0}','[]','["fact"]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('2c6391b7a6ab4c8b','8da17466dd01feda','9341c94e6ee0ecfa','061971fd844f34eb','q09','tied',28.89,0,0,2,1.0,1.0,'{"preference":0.0,"strength":0.8888888888888888,"criteria":1.0,"key_points":0.0,"evidence":1.0,"rationale_quality":1.0}','[]','["fact"]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('193379c4a6fb579f','d6fb35a6b33f1374','9341c94e6ee0ecfa','061971fd844f34eb','q09','rushed',100.0,1,1,0,1.0,1.0,'{"preference":1.0,"strength":1.0,"criteria":1.0,"key_points":1.0,"evidence":1.0,"rationale_quality":1.0}','["fact"]','[]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('3266fb4e075a5edf','2a9ba1c713814551','504ce4662a50e933','061971fd844f34eb','q10','careful',100.0,1,1,0,1.0,1.0,'{"preference":1.0,"strength":1.0,"criteria":1.0,"key_points":1.0,"evidence":1.0,"rationale_quality":1.0}','["fact"]','[]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('03e0b4b54d27db2a','1bbbecb209d1e155','504ce4662a50e933','061971fd844f34eb','q10','lengthy',15.56,0,0,4,0.0,0.0,'{"preference":0.0,"strength":0.5555555555555556,"criteria":0.0,"key_points":0.0,"evidence":1.0,"rationale_quality":1.0}','[]','["fact"]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('05a7367dca978732','24a0636ea6aad391','504ce4662a50e933','061971fd844f34eb','q10','tied',28.89,0,0,2,1.0,1.0,'{"preference":0.0,"strength":0.8888888888888888,"criteria":1.0,"key_points":0.0,"evidence":1.0,"rationale_quality":1.0}','[]','["fact"]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('e63cee278f0a084b','394efe96afbaa6a8','1da6bc3563f861ca','061971fd844f34eb','q11','careful',100.0,1,1,0,1.0,1.0,'{"preference":1.0,"strength":1.0,"criteria":1.0,"key_points":1.0,"evidence":1.0,"rationale_quality":1.0}','["fact"]','[]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('9f88bebfc6321056','a24ea4d7ddf93008','1da6bc3563f861ca','061971fd844f34eb','q11','lengthy',15.56,0,0,4,0.0,0.0,'{"preference":0.0,"strength":0.5555555555555556,"criteria":0.0,"key_points":0.0,"evidence":1.0,"rationale_quality":1.0}','[]','["fact"]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('5010a71022829cbe','5cd775e39503c270','1da6bc3563f861ca','061971fd844f34eb','q11','tied',28.89,0,0,2,1.0,1.0,'{"preference":0.0,"strength":0.8888888888888888,"criteria":1.0,"key_points":0.0,"evidence":1.0,"rationale_quality":1.0}','[]','["fact"]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('015cec1b1255e419','f72e79331b5ba824','54812b8c1eed94d8','061971fd844f34eb','q12','careful',100.0,1,1,0,1.0,1.0,'{"preference":1.0,"strength":1.0,"criteria":1.0,"key_points":1.0,"evidence":1.0,"rationale_quality":1.0}','["fact"]','[]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('34c550930d843bab','5f7063a53b04d803','54812b8c1eed94d8','061971fd844f34eb','q12','lengthy',70.0,1,1,0,0.0,0.0,'{"preference":1.0,"strength":1.0,"criteria":0.0,"key_points":0.0,"evidence":1.0,"rationale_quality":1.0}','[]','["fact"]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('b9e42f13fe35bb41','3375bb1b98e33631','54812b8c1eed94d8','061971fd844f34eb','q12','tied',28.89,0,0,2,1.0,1.0,'{"preference":0.0,"strength":0.8888888888888888,"criteria":1.0,"key_points":0.0,"evidence":1.0,"rationale_quality":1.0}','[]','["fact"]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('e04fb85498625e1f','1aa8301ee3f53075','767631e79b877638','061971fd844f34eb','q13','careful',100.0,1,1,0,1.0,1.0,'{"preference":1.0,"strength":1.0,"criteria":1.0,"key_points":1.0,"evidence":1.0,"rationale_quality":1.0}','["fact"]','[]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('91d13a8558f587b3','05d62f49cf60ef48','767631e79b877638','061971fd844f34eb','q13','lengthy',70.0,1,1,0,0.0,0.0,'{"preference":1.0,"strength":1.0,"criteria":0.0,"key_points":0.0,"evidence":1.0,"rationale_quality":1.0}','[]','["fact"]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('d59cc13acb677a33','7cfd5e706498b32d','767631e79b877638','061971fd844f34eb','q13','tied',28.89,0,0,2,1.0,1.0,'{"preference":0.0,"strength":0.8888888888888888,"criteria":1.0,"key_points":0.0,"evidence":1.0,"rationale_quality":1.0}','[]','["fact"]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('4cdc0af7092abf6f','ad1fa0a35f6a3045','2f93942fa4de69d6','061971fd844f34eb','q14','careful',100.0,1,1,0,1.0,1.0,'{"preference":1.0,"strength":1.0,"criteria":1.0,"key_points":1.0,"evidence":1.0,"rationale_quality":1.0}','["fact"]','[]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('61bacb46217cceb6','15e29e3447bfa2fa','2f93942fa4de69d6','061971fd844f34eb','q14','lengthy',15.56,0,0,4,0.0,0.0,'{"preference":0.0,"strength":0.5555555555555556,"criteria":0.0,"key_points":0.0,"evidence":1.0,"rationale_quality":1.0}','[]','["fact"]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('b649c1e7329baff7','f58ec9293f098311','2f93942fa4de69d6','061971fd844f34eb','q14','tied',80.0,1,1,0,1.0,1.0,'{"preference":1.0,"strength":1.0,"criteria":1.0,"key_points":0.0,"evidence":1.0,"rationale_quality":1.0}','[]','["fact"]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('406e88ddcd67c6c3','d71a3922937e32c3','912bcc7d4920c84c','061971fd844f34eb','q15','careful',100.0,1,1,0,1.0,1.0,'{"preference":1.0,"strength":1.0,"criteria":1.0,"key_points":1.0,"evidence":1.0,"rationale_quality":1.0}','["fact"]','[]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('b41b908830ffb766','348f7f9b6a861726','912bcc7d4920c84c','061971fd844f34eb','q15','lengthy',15.56,0,0,4,0.0,0.0,'{"preference":0.0,"strength":0.5555555555555556,"criteria":0.0,"key_points":0.0,"evidence":1.0,"rationale_quality":1.0}','[]','["fact"]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('9cf7924e97d11226','c2c9b7a54021cc8a','912bcc7d4920c84c','061971fd844f34eb','q15','tied',80.0,1,1,0,1.0,1.0,'{"preference":1.0,"strength":1.0,"criteria":1.0,"key_points":0.0,"evidence":1.0,"rationale_quality":1.0}','[]','["fact"]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('552369db3441f168','b0b73b88e04cf2bf','f71a3c293841ffc2','061971fd844f34eb','q16','careful',100.0,1,1,0,1.0,1.0,'{"preference":1.0,"strength":1.0,"criteria":1.0,"key_points":1.0,"evidence":1.0,"rationale_quality":1.0}','["fact"]','[]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('7564ea4f016d7d1f','096c1c7168766892','f71a3c293841ffc2','061971fd844f34eb','q16','lengthy',70.0,1,1,0,0.0,0.0,'{"preference":1.0,"strength":1.0,"criteria":0.0,"key_points":0.0,"evidence":1.0,"rationale_quality":1.0}','[]','["fact"]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('de2e61c076ce860c','451af54998041f4f','f71a3c293841ffc2','061971fd844f34eb','q16','tied',80.0,1,1,0,1.0,1.0,'{"preference":1.0,"strength":1.0,"criteria":1.0,"key_points":0.0,"evidence":1.0,"rationale_quality":1.0}','[]','["fact"]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('17a83f0cc022dd92','8e17570d71c864b9','eba3cc07c99341f5','061971fd844f34eb','q17','careful',100.0,1,1,0,1.0,1.0,'{"preference":1.0,"strength":1.0,"criteria":1.0,"key_points":1.0,"evidence":1.0,"rationale_quality":1.0}','["fact"]','[]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('5dd6f4a895f44b48','030c35cad8d6b8c0','eba3cc07c99341f5','061971fd844f34eb','q17','lengthy',70.0,1,1,0,0.0,0.0,'{"preference":1.0,"strength":1.0,"criteria":0.0,"key_points":0.0,"evidence":1.0,"rationale_quality":1.0}','[]','["fact"]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('22f3b504d497922f','a5e3083fa5e25388','eba3cc07c99341f5','061971fd844f34eb','q17','tied',80.0,1,1,0,1.0,1.0,'{"preference":1.0,"strength":1.0,"criteria":1.0,"key_points":0.0,"evidence":1.0,"rationale_quality":1.0}','[]','["fact"]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('d73897a43976bac3','a37177e57ff457b2','e7a0d98b421da094','061971fd844f34eb','q18','careful',100.0,1,1,0,1.0,1.0,'{"preference":1.0,"strength":1.0,"criteria":1.0,"key_points":1.0,"evidence":1.0,"rationale_quality":1.0}','["fact"]','[]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('e0fbbe53746804da','e718f108502721fa','e7a0d98b421da094','061971fd844f34eb','q18','lengthy',15.56,0,0,4,0.0,0.0,'{"preference":0.0,"strength":0.5555555555555556,"criteria":0.0,"key_points":0.0,"evidence":1.0,"rationale_quality":1.0}','[]','["fact"]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('41a4e50846ccf22b','3ff0ca9aef5757d2','e7a0d98b421da094','061971fd844f34eb','q18','tied',80.0,1,1,0,1.0,1.0,'{"preference":1.0,"strength":1.0,"criteria":1.0,"key_points":0.0,"evidence":1.0,"rationale_quality":1.0}','[]','["fact"]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('25dd4f5b465f2ebb','f1def3c61c01a50c','5bc8a36235b75632','061971fd844f34eb','q19','careful',100.0,1,1,0,1.0,1.0,'{"preference":1.0,"strength":1.0,"criteria":1.0,"key_points":1.0,"evidence":1.0,"rationale_quality":1.0}','["fact"]','[]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('7daf945f67fc3209','1f7b16b760a87f89','5bc8a36235b75632','061971fd844f34eb','q19','lengthy',15.56,0,0,4,0.0,0.0,'{"preference":0.0,"strength":0.5555555555555556,"criteria":0.0,"key_points":0.0,"evidence":1.0,"rationale_quality":1.0}','[]','["fact"]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('e3cd71a7e2106f42','05c2749e5c737e69','5bc8a36235b75632','061971fd844f34eb','q19','tied',80.0,1,1,0,1.0,1.0,'{"preference":1.0,"strength":1.0,"criteria":1.0,"key_points":0.0,"evidence":1.0,"rationale_quality":1.0}','[]','["fact"]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('1ac35f30966483f0','473697dce23b0fb2','1a947d706a1fe302','061971fd844f34eb','q20','careful',100.0,1,1,0,1.0,1.0,'{"preference":1.0,"strength":1.0,"criteria":1.0,"key_points":1.0,"evidence":1.0,"rationale_quality":1.0}','["fact"]','[]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('c2b2cb01a67981b0','949df33ce9adfad6','1a947d706a1fe302','061971fd844f34eb','q20','lengthy',70.0,1,1,0,0.0,0.0,'{"preference":1.0,"strength":1.0,"criteria":0.0,"key_points":0.0,"evidence":1.0,"rationale_quality":1.0}','[]','["fact"]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('1a05e485ff984963','e664e8006ca682b6','1a947d706a1fe302','061971fd844f34eb','q20','tied',80.0,1,1,0,1.0,1.0,'{"preference":1.0,"strength":1.0,"criteria":1.0,"key_points":0.0,"evidence":1.0,"rationale_quality":1.0}','[]','["fact"]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('77bcbe2e6673e9b3','258be66125a59abd','3a2eda5e6246fd4c','061971fd844f34eb','q21','careful',100.0,1,1,0,1.0,1.0,'{"preference":1.0,"strength":1.0,"criteria":1.0,"key_points":1.0,"evidence":1.0,"rationale_quality":1.0}','["fact"]','[]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('d4c755a56841b0d7','8a225796f60fc63c','3a2eda5e6246fd4c','061971fd844f34eb','q21','lengthy',70.0,1,1,0,0.0,0.0,'{"preference":1.0,"strength":1.0,"criteria":0.0,"key_points":0.0,"evidence":1.0,"rationale_quality":1.0}','[]','["fact"]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('cabe9ee290914380','3b3fec0b299752ec','3a2eda5e6246fd4c','061971fd844f34eb','q21','tied',80.0,1,1,0,1.0,1.0,'{"preference":1.0,"strength":1.0,"criteria":1.0,"key_points":0.0,"evidence":1.0,"rationale_quality":1.0}','[]','["fact"]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('50b60986a417dfb5','95892b0f260359c9','1907a7e658b9afe2','061971fd844f34eb','q22','careful',100.0,1,1,0,1.0,1.0,'{"preference":1.0,"strength":1.0,"criteria":1.0,"key_points":1.0,"evidence":1.0,"rationale_quality":1.0}','["fact"]','[]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('98ccf3825c3a2305','35a9e20c66e06f6a','1907a7e658b9afe2','061971fd844f34eb','q22','lengthy',70.0,1,1,0,0.0,0.0,'{"preference":1.0,"strength":1.0,"criteria":0.0,"key_points":0.0,"evidence":1.0,"rationale_quality":1.0}','[]','["fact"]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('b08fe44d587ca1cb','32b510bdda64bcd6','1907a7e658b9afe2','061971fd844f34eb','q22','tied',80.0,1,1,0,1.0,1.0,'{"preference":1.0,"strength":1.0,"criteria":1.0,"key_points":0.0,"evidence":1.0,"rationale_quality":1.0}','[]','["fact"]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('ae29fbcc24ca9b70','4d92d0ee5a6422bf','1907a7e658b9afe2','061971fd844f34eb','q22','rushed',100.0,1,1,0,1.0,1.0,'{"preference":1.0,"strength":1.0,"criteria":1.0,"key_points":1.0,"evidence":1.0,"rationale_quality":1.0}','["fact"]','[]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('3b7f97e47efd0404','c03a4b1c65f108e4','b953910f4655d83f','061971fd844f34eb','q23','careful',100.0,1,1,0,1.0,1.0,'{"preference":1.0,"strength":1.0,"criteria":1.0,"key_points":1.0,"evidence":1.0,"rationale_quality":1.0}','["fact"]','[]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('f78aa88efaef75ad','b217eb61331e4f13','b953910f4655d83f','061971fd844f34eb','q23','lengthy',70.0,1,1,0,0.0,0.0,'{"preference":1.0,"strength":1.0,"criteria":0.0,"key_points":0.0,"evidence":1.0,"rationale_quality":1.0}','[]','["fact"]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('90707084b68bfd4c','1055cdb608ae86c6','b953910f4655d83f','061971fd844f34eb','q23','tied',80.0,1,1,0,1.0,1.0,'{"preference":1.0,"strength":1.0,"criteria":1.0,"key_points":0.0,"evidence":1.0,"rationale_quality":1.0}','[]','["fact"]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('6d8e0fdcf44b0346','b5e4fee603fa6f43','b953910f4655d83f','061971fd844f34eb','q23','rushed',15.56,0,0,4,0.0,0.0,'{"preference":0.0,"strength":0.5555555555555556,"criteria":0.0,"key_points":0.0,"evidence":1.0,"rationale_quality":1.0}','[]','["fact"]',3,'2026-12-02T06:06:55.960Z');
INSERT INTO "grades" VALUES('ab35ee6e904ce606','0896cf2ab4d54cc0','de2a3f957d6bc841','6a9cee5d4123bc0e','sum','ana',100.0,1,1,0,1.0,1.0,'{"preference":1.0,"strength":1.0,"criteria":1.0,"key_points":1.0,"evidence":1.0,"rationale_quality":1.0}','["b-wrong"]','[]',4,'2026-12-02T06:06:56.006Z');
CREATE TABLE "items" (
   "hash" TEXT PRIMARY KEY,
   "id" TEXT,
   "prompt" TEXT,
   "response_a" TEXT,
   "response_b" TEXT,
   "source" TEXT,
   "domain" TEXT,
   "tags" TEXT
);
INSERT INTO "items" VALUES('e4ac21ea00d1c032','sum','What is 2 + 2?','2 + 2 = 4.','2 + 2 = 5, a classic result.',NULL,NULL,'[]');
INSERT INTO "items" VALUES('caf223ab55761d7d','capital','What is the capital of Australia?','Sydney is the capital.','Canberra is the capital of Australia.',NULL,NULL,'[]');
INSERT INTO "items" VALUES('864aa38b8c363843','boil','At what temperature does water boil at sea level?','100 degrees Celsius.','Water boils at 100 degrees Celsius (212 F) at sea level.',NULL,NULL,'[]');
INSERT INTO "items" VALUES('81a1031a3988a4e1','moon','In which year did people first walk on the Moon?','People first walked on the Moon in 1972.','The first Moon walk was in 1969, during Apollo 11.',NULL,NULL,'[]');
INSERT INTO "items" VALUES('b8e8a4f4c27da320','capital','What is the capital of Australia?','The capital of Australia is Canberra.','Canberra is the capital of Australia.',NULL,NULL,'[]');
INSERT INTO "items" VALUES('e3b5b09a396e3af3','boil','At what temperature does water boil at sea level, in Celsius?','Water boils at 100 degrees Celsius at sea level.','Great question! Water, which is a fascinating substance, boils at 100 degrees Celsius at sea level, as many people know.',NULL,NULL,'[]');
INSERT INTO "items" VALUES('76b68b6eb9329e86','q00','Question 0?','The capital of France is Paris, a city on the Seine with many museums and a long history of learning. (0)','Paris is the capital. (0)',NULL,NULL,'[]');
INSERT INTO "items" VALUES('af8dddb353a369c4','q01','Question 1?','Paris is the capital. (1)','The capital of France is Paris, a city on the Seine with many museums and a long history of learning. (1)',NULL,NULL,'[]');
INSERT INTO "items" VALUES('102d15e22fc9b422','q02','Question 2?','The capital of France is Paris, a city on the Seine with many museums and a long history of learning. (2)','Paris is the capital. (2)',NULL,NULL,'[]');
INSERT INTO "items" VALUES('f549cbb7eae69f16','q03','Question 3?','Paris is the capital. (3)','The capital of France is Paris, a city on the Seine with many museums and a long history of learning. (3)',NULL,NULL,'[]');
INSERT INTO "items" VALUES('3f7723d330422862','q04','Question 4?','The capital of France is Paris, a city on the Seine with many museums and a long history of learning. (4)','Paris is the capital. (4)',NULL,NULL,'[]');
INSERT INTO "items" VALUES('e968d76df4546256','q05','Question 5?','Paris is the capital. (5)','The capital of France is Paris, a city on the Seine with many museums and a long history of learning. (5)',NULL,NULL,'[]');
INSERT INTO "items" VALUES('59d74263c49ee537','q06','Question 6?','The capital of France is Paris, a city on the Seine with many museums and a long history of learning. (6)','Paris is the capital. (6)',NULL,NULL,'[]');
INSERT INTO "items" VALUES('9fc246ce19b29b9d','q07','Question 7?','Paris is the capital. (7)','The capital of France is Paris, a city on the Seine with many museums and a long history of learning. (7)',NULL,NULL,'[]');
INSERT INTO "items" VALUES('3f89c86651fab643','q08','Question 8?','The capital of France is Paris, a city on the Seine with many museums and a long history of learning. (8)','Paris is the capital. (8)',NULL,NULL,'[]');
INSERT INTO "items" VALUES('e3f2968af07caa3e','q09','Question 9?','Paris is the capital. (9)','The capital of France is Paris, a city on the Seine with many museums and a long history of learning. (9)',NULL,NULL,'[]');
INSERT INTO "items" VALUES('3b20103eba1b5141','q10','Question 10?','The capital of France is Paris, a city on the Seine with many museums and a long history of learning. (10)','Paris is the capital. (10)',NULL,NULL,'[]');
INSERT INTO "items" VALUES('bc7a8816b57e5fe9','q11','Question 11?','Paris is the capital. (11)','The capital of France is Paris, a city on the Seine with many museums and a long history of learning. (11)',NULL,NULL,'[]');
INSERT INTO "items" VALUES('2f104c9ffffcf290','q12','Question 12?','The capital of France is Paris, a city on the Seine with many museums and a long history of learning. (12)','Paris is the capital. (12)',NULL,NULL,'[]');
INSERT INTO "items" VALUES('eeb0197c22011043','q13','Question 13?','Paris is the capital. (13)','The capital of France is Paris, a city on the Seine with many museums and a long history of learning. (13)',NULL,NULL,'[]');
INSERT INTO "items" VALUES('b38fafea886e667c','q14','Question 14?','The capital of France is Paris, a city on the Seine with many museums and a long history of learning. (14)','Paris is the capital. (14)',NULL,NULL,'[]');
INSERT INTO "items" VALUES('cfdebb64b35237ab','q15','Question 15?','Paris is the capital. (15)','The capital of France is Paris, a city on the Seine with many museums and a long history of learning. (15)',NULL,NULL,'[]');
INSERT INTO "items" VALUES('828d57b69d4eec20','q16','Question 16?','The capital of France is Paris, a city on the Seine with many museums and a long history of learning. (16)','Paris is the capital. (16)',NULL,NULL,'[]');
INSERT INTO "items" VALUES('e672b43503d51f1b','q17','Question 17?','Paris is the capital. (17)','The capital of France is Paris, a city on the Seine with many museums and a long history of learning. (17)',NULL,NULL,'[]');
INSERT INTO "items" VALUES('59102ae5444f21f4','q18','Question 18?','The capital of France is Paris, a city on the Seine with many museums and a long history of learning. (18)','Paris is the capital. (18)',NULL,NULL,'[]');
INSERT INTO "items" VALUES('b71d488649ca8768','q19','Question 19?','Paris is the capital. (19)','The capital of France is Paris, a city on the Seine with many museums and a long history of learning. (19)',NULL,NULL,'[]');
INSERT INTO "items" VALUES('244f6b2ac7daed08','q20','Question 20?','The capital of France is Paris, a city on the Seine with many museums and a long history of learning. (20)','Paris is the capital. (20)',NULL,NULL,'[]');
INSERT INTO "items" VALUES('b9912add35974c48','q21','Question 21?','Paris is the capital. (21)','The capital of France is Paris, a city on the Seine with many museums and a long history of learning. (21)',NULL,NULL,'[]');
INSERT INTO "items" VALUES('3a5fc98501c98703','q22','Question 0?','The capital of France is Paris, a city on the Seine with many museums and a long history of learning. (0)','Paris is the capital. (0)',NULL,NULL,'[]');
INSERT INTO "items" VALUES('346a3d39eff2870d','q23','Question 1?','The capital of France is Paris, a city on the Seine with many museums and a long history of learning. (1)','Paris is the capital. (1)',NULL,NULL,'[]');
CREATE TABLE "judgments" (
   "hash" TEXT PRIMARY KEY,
   "item_id" TEXT,
   "item_hash" TEXT REFERENCES "items"("hash"),
   "annotator" TEXT,
   "version" INTEGER,
   "preference" TEXT,
   "strength" INTEGER,
   "criteria" TEXT,
   "rationale" TEXT,
   "seconds" REAL,
   "timestamp" TEXT,
   "run_id" INTEGER REFERENCES "runs"("id")
);
INSERT INTO "judgments" VALUES('47857638dafd1a48','sum','e4ac21ea00d1c032','ana',1,'A',-2,'["honesty"]','A is correct: "2 + 2 = 4". B says "2 + 2 = 5", which is wrong, so A is much better on honesty.',NULL,NULL,1);
INSERT INTO "judgments" VALUES('6863d431c1092885','capital','caf223ab55761d7d','ana',1,'A',-1,'["helpfulness"]','A is better overall because it is shorter and more helpful: "Sydney is the capital".',NULL,NULL,1);
INSERT INTO "judgments" VALUES('af50e1b99238440b','boil','864aa38b8c363843','ana',1,'B',1,'["helpfulness"]','B is slightly more helpful since it explains "212 F" as well, and it says "water boils at exactly 99 degrees".',NULL,NULL,1);
INSERT INTO "judgments" VALUES('e2b374aaebb3aa52','capital','b8e8a4f4c27da320','sam',1,'A',-2,'["honesty"]','Response A is correct and "quotes nothing real here".',0.0,'2026-12-02T06:06:55.663072+00:00',2);
INSERT INTO "judgments" VALUES('bd041970e7fe321b','boil','e3b5b09a396e3af3','sam',1,'B',1,'[]','B is better.',0.0,'2026-12-02T06:06:55.671205+00:00',2);
INSERT INTO "judgments" VALUES('b360b7fff5954657','q00','76b68b6eb9329e86','careful',1,'A',-2,'["correctness"]','Response A is better on correctness because it names the right capital.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('270df058d0672815','q00','76b68b6eb9329e86','lengthy',1,'A',-2,'["helpfulness"]','Response A is better on helpfulness.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('c6c5d33ae3bcdd71','q00','76b68b6eb9329e86','tied',1,'A',-2,'["correctness"]','Response A is better on correctness.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('fca17a53295ec576','q00','76b68b6eb9329e86','rushed',1,'A',-2,'["correctness"]','Response A is better on correctness because it names the right capital.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('a011ac46800dbabe','q01','af8dddb353a369c4','careful',1,'B',2,'["correctness"]','Response B is better on correctness because it names the right capital.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('dd7817e235a58bc4','q01','af8dddb353a369c4','lengthy',1,'B',2,'["helpfulness"]','Response B is better on helpfulness.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('5b2e3feb75f08d90','q01','af8dddb353a369c4','tied',1,'B',2,'["correctness"]','Response B is better on correctness.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('b4c6c9ed15d2d134','q01','af8dddb353a369c4','rushed',1,'B',2,'["correctness"]','Response B is better on correctness because it names the right capital.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('490806a21c751f81','q02','102d15e22fc9b422','careful',1,'B',2,'["correctness"]','Response B is better on correctness because it names the right capital.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('2e398743cb027732','q02','102d15e22fc9b422','lengthy',1,'A',-2,'["helpfulness"]','Response A is better on helpfulness.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('6c1c4d4858d6fcb4','q02','102d15e22fc9b422','tied',1,'tie',0,'["correctness"]','Both are about the same; neither is more correct.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('2bd87f310667a07e','q02','102d15e22fc9b422','rushed',1,'B',2,'["correctness"]','Response B is better on correctness because it names the right capital.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('f434f7e161920bca','q03','f549cbb7eae69f16','careful',1,'A',-2,'["correctness"]','Response A is better on correctness because it names the right capital.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('1af24fed23a47977','q03','f549cbb7eae69f16','lengthy',1,'B',2,'["helpfulness"]','Response B is better on helpfulness.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('7a644cae4b1298d2','q03','f549cbb7eae69f16','tied',1,'tie',0,'["correctness"]','Both are about the same; neither is more correct.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('5c516c7450d394fb','q03','f549cbb7eae69f16','rushed',1,'A',-2,'["correctness"]','Response A is better on correctness because it names the right capital.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('88bb26ac718d29fa','q04','3f7723d330422862','careful',1,'A',-2,'["correctness"]','Response A is better on correctness because it names the right capital.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('c9f9228e101b6d11','q04','3f7723d330422862','lengthy',1,'A',-2,'["helpfulness"]','Response A is better on helpfulness.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('5277f718409ad174','q04','3f7723d330422862','tied',1,'tie',0,'["correctness"]','Both are about the same; neither is more correct.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('18728cddb8c5b5f5','q04','3f7723d330422862','rushed',1,'A',-2,'["correctness"]','Response A is better on correctness because it names the right capital.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('073e85f28cbe937b','q05','e968d76df4546256','careful',1,'B',2,'["correctness"]','Response B is better on correctness because it names the right capital.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('1cb598cebc609b88','q05','e968d76df4546256','lengthy',1,'B',2,'["helpfulness"]','Response B is better on helpfulness.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('e9d0950c99033551','q05','e968d76df4546256','tied',1,'tie',0,'["correctness"]','Both are about the same; neither is more correct.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('7fc440df3e530927','q05','e968d76df4546256','rushed',1,'A',-2,'["helpfulness"]','Response A is better on helpfulness.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('ca02a188b352a364','q06','59d74263c49ee537','careful',1,'tie',0,'["correctness"]','Both are about the same; neither is more correct and both name the right capital.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('67c6636b876db578','q06','59d74263c49ee537','lengthy',1,'A',-2,'["helpfulness"]','Response A is better on helpfulness.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('c3ae4788bcf75aa1','q06','59d74263c49ee537','tied',1,'tie',0,'["correctness"]','Both are about the same; neither is more correct.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('a9dcc221de1827c8','q06','59d74263c49ee537','rushed',1,'tie',0,'["correctness"]','Both are about the same; neither is more correct and both name the right capital.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('0b67548d217bfd6f','q07','9fc246ce19b29b9d','careful',1,'tie',0,'["correctness"]','Both are about the same; neither is more correct and both name the right capital.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('67a1a4c4fa60757f','q07','9fc246ce19b29b9d','lengthy',1,'B',2,'["helpfulness"]','Response B is better on helpfulness.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('c4c82740561b5739','q07','9fc246ce19b29b9d','tied',1,'tie',0,'["correctness"]','Both are about the same; neither is more correct.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('90f24ffcb7103b69','q07','9fc246ce19b29b9d','rushed',1,'tie',0,'["correctness"]','Both are about the same; neither is more correct and both name the right capital.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('54e8e07cd28b377b','q08','3f89c86651fab643','careful',1,'A',-2,'["correctness"]','Response A is better on correctness because it names the right capital.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('3535549aca5ebace','q08','3f89c86651fab643','lengthy',1,'A',-2,'["helpfulness"]','Response A is better on helpfulness.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('a4eeac7d097c7796','q08','3f89c86651fab643','tied',1,'tie',0,'["correctness"]','Both are about the same; neither is more correct.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('b8ceed27743954c9','q08','3f89c86651fab643','rushed',1,'A',-2,'["correctness"]','Response A is better on correctness because it names the right capital.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('1c0cf0cee6fd0b9a','q09','e3f2968af07caa3e','careful',1,'B',2,'["correctness"]','Response B is better on correctness because it names the right capital.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('0ba7c1933c114b7d','q09','e3f2968af07caa3e','lengthy',1,'B',2,'["helpfulness"]','Response B is better on helpfulness.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('8da17466dd01feda','q09','e3f2968af07caa3e','tied',1,'tie',0,'["correctness"]','Both are about the same; neither is more correct.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('d6fb35a6b33f1374','q09','e3f2968af07caa3e','rushed',1,'B',2,'["correctness"]','Response B is better on correctness because it names the right capital.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('2a9ba1c713814551','q10','3b20103eba1b5141','careful',1,'B',2,'["correctness"]','Response B is better on correctness because it names the right capital.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('1bbbecb209d1e155','q10','3b20103eba1b5141','lengthy',1,'A',-2,'["helpfulness"]','Response A is better on helpfulness.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('24a0636ea6aad391','q10','3b20103eba1b5141','tied',1,'tie',0,'["correctness"]','Both are about the same; neither is more correct.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('394efe96afbaa6a8','q11','bc7a8816b57e5fe9','careful',1,'A',-2,'["correctness"]','Response A is better on correctness because it names the right capital.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('a24ea4d7ddf93008','q11','bc7a8816b57e5fe9','lengthy',1,'B',2,'["helpfulness"]','Response B is better on helpfulness.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('5cd775e39503c270','q11','bc7a8816b57e5fe9','tied',1,'tie',0,'["correctness"]','Both are about the same; neither is more correct.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('f72e79331b5ba824','q12','2f104c9ffffcf290','careful',1,'A',-2,'["correctness"]','Response A is better on correctness because it names the right capital.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('5f7063a53b04d803','q12','2f104c9ffffcf290','lengthy',1,'A',-2,'["helpfulness"]','Response A is better on helpfulness.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('3375bb1b98e33631','q12','2f104c9ffffcf290','tied',1,'tie',0,'["correctness"]','Both are about the same; neither is more correct.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('1aa8301ee3f53075','q13','eeb0197c22011043','careful',1,'B',2,'["correctness"]','Response B is better on correctness because it names the right capital.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('05d62f49cf60ef48','q13','eeb0197c22011043','lengthy',1,'B',2,'["helpfulness"]','Response B is better on helpfulness.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('7cfd5e706498b32d','q13','eeb0197c22011043','tied',1,'tie',0,'["correctness"]','Both are about the same; neither is more correct.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('ad1fa0a35f6a3045','q14','b38fafea886e667c','careful',1,'B',2,'["correctness"]','Response B is better on correctness because it names the right capital.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('15e29e3447bfa2fa','q14','b38fafea886e667c','lengthy',1,'A',-2,'["helpfulness"]','Response A is better on helpfulness.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('f58ec9293f098311','q14','b38fafea886e667c','tied',1,'B',2,'["correctness"]','Response B is better on correctness.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('d71a3922937e32c3','q15','cfdebb64b35237ab','careful',1,'A',-2,'["correctness"]','Response A is better on correctness because it names the right capital.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('348f7f9b6a861726','q15','cfdebb64b35237ab','lengthy',1,'B',2,'["helpfulness"]','Response B is better on helpfulness.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('c2c9b7a54021cc8a','q15','cfdebb64b35237ab','tied',1,'A',-2,'["correctness"]','Response A is better on correctness.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('b0b73b88e04cf2bf','q16','828d57b69d4eec20','careful',1,'A',-2,'["correctness"]','Response A is better on correctness because it names the right capital.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('096c1c7168766892','q16','828d57b69d4eec20','lengthy',1,'A',-2,'["helpfulness"]','Response A is better on helpfulness.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('451af54998041f4f','q16','828d57b69d4eec20','tied',1,'A',-2,'["correctness"]','Response A is better on correctness.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('8e17570d71c864b9','q17','e672b43503d51f1b','careful',1,'B',2,'["correctness"]','Response B is better on correctness because it names the right capital.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('030c35cad8d6b8c0','q17','e672b43503d51f1b','lengthy',1,'B',2,'["helpfulness"]','Response B is better on helpfulness.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('a5e3083fa5e25388','q17','e672b43503d51f1b','tied',1,'B',2,'["correctness"]','Response B is better on correctness.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('a37177e57ff457b2','q18','59102ae5444f21f4','careful',1,'B',2,'["correctness"]','Response B is better on correctness because it names the right capital.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('e718f108502721fa','q18','59102ae5444f21f4','lengthy',1,'A',-2,'["helpfulness"]','Response A is better on helpfulness.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('3ff0ca9aef5757d2','q18','59102ae5444f21f4','tied',1,'B',2,'["correctness"]','Response B is better on correctness.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('f1def3c61c01a50c','q19','b71d488649ca8768','careful',1,'A',-2,'["correctness"]','Response A is better on correctness because it names the right capital.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('1f7b16b760a87f89','q19','b71d488649ca8768','lengthy',1,'B',2,'["helpfulness"]','Response B is better on helpfulness.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('05c2749e5c737e69','q19','b71d488649ca8768','tied',1,'A',-2,'["correctness"]','Response A is better on correctness.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('473697dce23b0fb2','q20','244f6b2ac7daed08','careful',1,'A',-2,'["correctness"]','Response A is better on correctness because it names the right capital.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('949df33ce9adfad6','q20','244f6b2ac7daed08','lengthy',1,'A',-2,'["helpfulness"]','Response A is better on helpfulness.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('e664e8006ca682b6','q20','244f6b2ac7daed08','tied',1,'A',-2,'["correctness"]','Response A is better on correctness.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('258be66125a59abd','q21','b9912add35974c48','careful',1,'B',2,'["correctness"]','Response B is better on correctness because it names the right capital.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('8a225796f60fc63c','q21','b9912add35974c48','lengthy',1,'B',2,'["helpfulness"]','Response B is better on helpfulness.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('3b3fec0b299752ec','q21','b9912add35974c48','tied',1,'B',2,'["correctness"]','Response B is better on correctness.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('95892b0f260359c9','q22','3a5fc98501c98703','careful',1,'A',-2,'["correctness"]','Response A is better on correctness because it names the right capital.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('35a9e20c66e06f6a','q22','3a5fc98501c98703','lengthy',1,'A',-2,'["helpfulness"]','Response A is better on helpfulness.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('32b510bdda64bcd6','q22','3a5fc98501c98703','tied',1,'A',-2,'["correctness"]','Response A is better on correctness.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('4d92d0ee5a6422bf','q22','3a5fc98501c98703','rushed',1,'A',-2,'["correctness"]','Response A is better on correctness because it names the right capital.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('c03a4b1c65f108e4','q23','346a3d39eff2870d','careful',1,'A',-2,'["correctness"]','Response A is better on correctness because it names the right capital.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('b217eb61331e4f13','q23','346a3d39eff2870d','lengthy',1,'A',-2,'["helpfulness"]','Response A is better on helpfulness.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('1055cdb608ae86c6','q23','346a3d39eff2870d','tied',1,'A',-2,'["correctness"]','Response A is better on correctness.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('b5e4fee603fa6f43','q23','346a3d39eff2870d','rushed',1,'B',2,'["helpfulness"]','Response B is better on helpfulness.',NULL,NULL,3);
INSERT INTO "judgments" VALUES('0896cf2ab4d54cc0','sum','e4ac21ea00d1c032','ana',2,'A',-2,'["honesty"]','A is correct: "2 + 2 = 4"; B says "2 + 2 = 5", which is wrong on honesty.',NULL,'2026-12-02T06:06:56.003709+00:00',4);
CREATE TABLE "llm_cache" (
   "key" TEXT PRIMARY KEY,
   "model" TEXT,
   "kind" TEXT,
   "template_version" TEXT,
   "response" TEXT,
   "raw" TEXT,
   "tokens_in" INTEGER,
   "tokens_out" INTEGER,
   "cost" REAL,
   "latency" REAL,
   "created_at" TEXT
);
INSERT INTO "llm_cache" VALUES('k1','openai/fake','verdict','critique-v1','{}','{}',1,1,NULL,0.1,'2026-01-01T00:00:00.000Z');
CREATE TABLE "revisions" (
   "judgment_hash" TEXT PRIMARY KEY REFERENCES "judgments"("hash"),
   "previous_hash" TEXT REFERENCES "judgments"("hash"),
   "annotator" TEXT,
   "item_id" TEXT,
   "revised_at" TEXT,
   "note" TEXT
);
INSERT INTO "revisions" VALUES('0896cf2ab4d54cc0','47857638dafd1a48','ana','sum','2026-12-02T06:06:56.007Z',NULL);
CREATE TABLE "rubrics" (
   "hash" TEXT PRIMARY KEY,
   "id" TEXT,
   "title" TEXT,
   "version" TEXT,
   "body" TEXT,
   "first_seen" TEXT
);
INSERT INTO "rubrics" VALUES('6a9cee5d4123bc0e','tiny','Tiny pairwise rubric','1','{"id":"tiny","title":"Tiny pairwise rubric","version":"1","description":"","criteria":[{"id":"honesty","name":"Honesty","description":"Claims are true.","weight":2.0,"levels":{"1":"all false","2":"mostly false","3":"mixed","4":"mostly true","5":"all true"},"cues":["correct","wrong","false","accurate"]},{"id":"helpfulness","name":"Helpfulness","description":"Answers what was asked.","weight":1.0,"levels":{"1":"useless","2":"weak","3":"partial","4":"good","5":"complete"},"cues":["helpful","answers","explains"]}],"strength_scale":[{"value":-2,"label":"A much better"},{"value":-1,"label":"A slightly better"},{"value":0,"label":"About the same"},{"value":1,"label":"B slightly better"},{"value":2,"label":"B much better"}],"criteria_priority":["honesty","helpfulness"],"rationale":{"min_words":8,"max_words":80,"must_cite_criterion":true,"must_quote_evidence":true,"vague_phrases":["better overall"]},"scoring":{"weights":{"preference":0.4,"strength":0.1,"criteria":0.1,"key_points":0.2,"evidence":0.1,"rationale_quality":0.1},"pass_mark":70.0}}','2026-12-02T06:06:55.570Z');
INSERT INTO "rubrics" VALUES('028266a12019ed84','tiny','Tiny drill rubric','1','{"id":"tiny","title":"Tiny drill rubric","version":"1","description":"","criteria":[{"id":"honesty","name":"Honesty","description":"The facts are right.","weight":2.0,"levels":{"1":"Wrong on the central fact.","2":"An error a reader would act on.","3":"No error but overconfident.","4":"Accurate.","5":"Accurate and careful."},"cues":["wrong","incorrect","accurate","correct","error"]},{"id":"helpfulness","name":"Helpfulness","description":"It answers the question asked.","weight":1.0,"levels":{"1":"Does not answer.","2":"Partly answers.","3":"Answers.","4":"Answers fully.","5":"Answers and anticipates."},"cues":["answers","helpful","useful"]},{"id":"concision","name":"Concision","description":"No padding.","weight":1.0,"levels":{"1":"Mostly padding.","2":"Wordy.","3":"Some filler.","4":"Tight.","5":"Every sentence earns its place."},"cues":["concise","padding","wordy","short"]}],"strength_scale":[{"value":-2,"label":"A is much better"},{"value":-1,"label":"A is slightly better"},{"value":0,"label":"About the same"},{"value":1,"label":"B is slightly better"},{"value":2,"label":"B is much better"}],"criteria_priority":["honesty","helpfulness","concision"],"rationale":{"min_words":5,"max_words":80,"must_cite_criterion":true,"must_quote_evidence":true,"vague_phrases":[]},"scoring":{"weights":{"preference":0.4,"strength":0.1,"criteria":0.1,"key_points":0.2,"evidence":0.1,"rationale_quality":0.1},"pass_mark":60.0}}','2026-12-02T06:06:55.653Z');
INSERT INTO "rubrics" VALUES('061971fd844f34eb','mini','Mini rubric','1','{"id":"mini","title":"Mini rubric","version":"1","description":"","criteria":[{"id":"correctness","name":"Correctness","description":"Facts are right.","weight":2.0,"levels":{"1":"level 1","2":"level 2","3":"level 3","4":"level 4","5":"level 5"},"cues":["correct","wrong","accurate"]},{"id":"helpfulness","name":"Helpfulness","description":"Meets the need.","weight":1.0,"levels":{"1":"level 1","2":"level 2","3":"level 3","4":"level 4","5":"level 5"},"cues":["helpful","detail","thorough"]},{"id":"concision","name":"Concision","description":"No padding.","weight":1.0,"levels":{"1":"level 1","2":"level 2","3":"level 3","4":"level 4","5":"level 5"},"cues":["concise","padding"]}],"strength_scale":[{"value":-3,"label":"step -3"},{"value":-2,"label":"step -2"},{"value":-1,"label":"step -1"},{"value":0,"label":"step 0"},{"value":1,"label":"step 1"},{"value":2,"label":"step 2"},{"value":3,"label":"step 3"}],"criteria_priority":["correctness","helpfulness","concision"],"rationale":{"min_words":3,"max_words":200,"must_cite_criterion":false,"must_quote_evidence":false,"vague_phrases":[]},"scoring":{"weights":{"preference":0.5,"strength":0.1,"criteria":0.1,"key_points":0.2,"evidence":0.0,"rationale_quality":0.1},"pass_mark":60.0}}','2026-12-02T06:06:55.957Z');
CREATE TABLE "runs" (
   "id" INTEGER PRIMARY KEY,
   "command" TEXT,
   "inputs" TEXT,
   "rubric_hash" TEXT,
   "started" TEXT,
   "finished" TEXT,
   "counts" TEXT
);
INSERT INTO "runs" VALUES(1,'grade','{"judgments":["tests/data/tiny/judgments.jsonl"],"rubric":"tests/data/tiny/rubric.yaml","gold":"tests/data/tiny/gold.jsonl","items":"tests/data/tiny/items.jsonl","annotator":null}','6a9cee5d4123bc0e','2026-12-02T06:06:55.571Z','2026-12-02T06:06:55.578Z','{"judgments_read":3,"judgments_new":3,"judgments_revised":0,"grades_new":3,"findings_new":7,"items":3,"gold":3}');
INSERT INTO "runs" VALUES(2,'drill','{"items":"tests/data/drill/items.jsonl","gold":"tests/data/drill/gold.jsonl","rubric":"tests/data/drill/rubric.yaml","order":"mixed","n":2,"seed":1,"annotator":"sam"}','028266a12019ed84','2026-12-02T06:06:55.654Z','2026-12-02T06:06:55.675Z','{"answered":2,"remaining":0}');
INSERT INTO "runs" VALUES(3,'calibrate','{"judgments":["/tmp/rel/judgments.jsonl"],"items":"/tmp/rel/items.jsonl","rubric":"/tmp/rel/rubric.yaml","gold":"/tmp/rel/gold.jsonl","batch":"release","threshold":0.8,"min_items":20}','061971fd844f34eb','2026-12-02T06:06:55.957Z','2026-12-02T06:06:55.973Z','{"judgments":84,"judgments_new":84,"batch_id":1}');
INSERT INTO "runs" VALUES(4,'revise','{"item":"sum","annotator":"ana"}','6a9cee5d4123bc0e','2026-12-02T06:06:56.006Z','2026-12-02T06:06:56.007Z','{"revised":1}');
CREATE TABLE "settings" (
   "name" TEXT PRIMARY KEY,
   "value" TEXT
);
INSERT INTO "settings" VALUES('pseudonym_key','5ac69f8716238f26ac66e2eeddec4caf302bf59a3217a65b385ce1a58d0cf3ec');
CREATE INDEX "idx_items_id"
    ON "items" ("id");
CREATE INDEX "idx_gold_item_id"
    ON "gold" ("item_id");
CREATE INDEX "idx_judgments_annotator_item_id"
    ON "judgments" ("annotator", "item_id");
CREATE INDEX "idx_judgments_item_id"
    ON "judgments" ("item_id");
CREATE INDEX "idx_grades_annotator"
    ON "grades" ("annotator");
CREATE INDEX "idx_grades_item_id"
    ON "grades" ("item_id");
CREATE INDEX "idx_grades_judgment_hash"
    ON "grades" ("judgment_hash");
CREATE INDEX "idx_findings_grade_id"
    ON "findings" ("grade_id");
CREATE INDEX "idx_findings_code"
    ON "findings" ("code");
CREATE VIEW "feedback" AS 
        select
            j.annotator, j.item_id, j.version, j.preference, j.strength, j.criteria, j.rationale,
            g.score, g.passed, g.preference_correct, g.strength_distance,
            g.key_points_made, g.key_points_missed, g.rubric_hash, g.graded_at,
            (select json_group_array(json_object('code', f.code, 'severity', f.severity, 'message', f.message))
               from findings f where f.grade_id = g.id) as findings
        from judgments j join grades g on g.judgment_hash = j.hash;
CREATE INDEX "idx_drill_sessions_annotator_number"
    ON "drill_sessions" ("annotator", "number");
CREATE INDEX "idx_drill_presentations_item_id"
    ON "drill_presentations" ("item_id");
CREATE INDEX "idx_drill_presentations_grade_id"
    ON "drill_presentations" ("grade_id");
CREATE INDEX "idx_critiques_judgment_hash"
    ON "critiques" ("judgment_hash");
CREATE INDEX "idx_critiques_status"
    ON "critiques" ("status");
CREATE INDEX "idx_critiques_annotator_item_id"
    ON "critiques" ("annotator", "item_id");
CREATE VIEW "escalations" AS 
        select
            c.annotator, c.item_id, c.model, j.preference as trainee_preference, j.strength as trainee_strength,
            c.preference as reviewer_preference, c.strength as reviewer_strength,
            (select g.preference from gold g where g.hash = c.gold_hash) as gold_preference,
            c.confidence, c.consistent, c.escalation_reasons, c.status, c.judgment_hash, c.created_at
        from critiques c join judgments j on j.hash = c.judgment_hash
        where c.escalate = 1  -- failed reviews escalate only for an injection attempt the detector found
;
CREATE INDEX "idx_calibration_batches_name"
    ON "calibration_batches" ("name");
CREATE INDEX "idx_calibration_annotators_annotator"
    ON "calibration_annotators" ("annotator");
COMMIT;
