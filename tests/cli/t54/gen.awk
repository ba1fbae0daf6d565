# gen.awk - varied discharged workers for t54 (claims compute gives the same
# claims as before): awk -v n=N -v cc=TR|KZ -f gen.awk. Deterministic (an LCG).
function rnd(m) { x = (x * 1103515245 + 12345) % 2147483648; return int(x / 65536) % m }
BEGIN {
	x = (cc == "KZ") ? 7 : 3
	print "external_id,full_name,workplace,hired,terminated,reason,wage,benefits,underground,notice_served,accruals_12m,days_worked_12m,unused_leave_days"
	if (cc == "KZ") { nr = split("liquidation staff_reduction reduced_output employer_breach resignation agreement contract_expiry retirement", rs, " ") }
	else { nr = split("closure dismissal just_cause_resignation retirement military_service marriage death closure closure", rs, " ") }
	for (i = 1; i <= n; i++) {
		hy = 1985 + rnd(27); hm = 1 + rnd(12); hd = 1 + rnd(28)
		ty = 2010 + rnd(3); if (ty < hy) ty = hy
		tm = 1 + rnd(12); td = 1 + rnd(28)
		if (ty == hy && (tm < hm || (tm == hm && td < hd))) { tm = hm; td = hd }
		term = (rnd(20) == 0) ? "" : sprintf("%04d-%02d-%02d", ty, tm, td)
		wage = sprintf("%d.%02d", (cc == "KZ" ? 40000 + rnd(400000) : 800 + rnd(9000)), rnd(100))
		ben = rnd(3) ? sprintf("%d.00", rnd(900)) : ""
		acc = (cc == "KZ" && rnd(2)) ? sprintf("%d.00", 300000 + rnd(3000000)) : ""
		dw = (cc == "KZ" && acc != "") ? 1 + rnd(366) : ""
		ul = rnd(3) ? rnd(30) : ""
		why = rs[1 + rnd(nr)]
		if (term == "") why = ""
		printf "%s-%05d,Worker %d,1,%04d-%02d-%02d,%s,%s,%s,%s,%s,%s,%s,%s,%s\n", cc, i, i, hy, hm, hd, term,
			why, wage, ben, rnd(3) ? "yes" : "no", rnd(4) ? "no" : "yes", acc, dw, ul
	}
}
