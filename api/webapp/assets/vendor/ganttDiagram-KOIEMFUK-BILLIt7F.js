import{K as fe,X as ye,J as me,Z as ke,Y as pe,V as ge,m as o,D as ut,i as $t,A as ve,C as be,G as Te,j as xe,H as $e,I as we,p as et,M as _e,Q as Bt,R as Zt,T as De,_ as Se,a0 as Ce,a1 as Me,a2 as Ye,a3 as Ee,a4 as Le,a5 as Xt,a6 as Qt,a7 as Ut,a8 as Jt,a9 as qt,aa as Ie,a as Oe,l as Ae,ab as rt,ac as ie,ad as We,d as Fe,ae as Ct}from"./mermaid.esm.min-BGuHAcxY.js";import"../index-D-p2-EEe.js";var Pe=Ct((t,s)=>{"use strict";(function(n,e){typeof t=="object"&&typeof s<"u"?s.exports=e():typeof define=="function"&&define.amd?define(e):(n=typeof globalThis<"u"?globalThis:n||self).dayjs_plugin_isoWeek=e()})(t,(function(){"use strict";var n="day";return function(e,a,h){var v=o(function(D){return D.add(4-D.isoWeekday(),n)},"a"),_=a.prototype;_.isoWeekYear=function(){return v(this).year()},_.isoWeek=function(D){if(!this.$utils().u(D))return this.add(7*(D-this.isoWeek()),n);var w,P,A,N,j=v(this),H=(w=this.isoWeekYear(),P=this.$u,A=(P?h.utc:h)().year(w).startOf("year"),N=4-A.isoWeekday(),A.isoWeekday()>4&&(N+=7),A.add(N,n));return j.diff(H,"week")+1},_.isoWeekday=function(D){return this.$utils().u(D)?this.day()||7:this.day(this.day()%7?D:D-7)};var F=_.startOf;_.startOf=function(D,w){var P=this.$utils(),A=!!P.u(w)||w;return P.p(D)==="isoweek"?A?this.date(this.date()-(this.isoWeekday()-1)).startOf("day"):this.date(this.date()-1-(this.isoWeekday()-1)+7).endOf("day"):F.bind(this)(D,w)}}}))}),Ne=Ct((t,s)=>{"use strict";(function(n,e){typeof t=="object"&&typeof s<"u"?s.exports=e():typeof define=="function"&&define.amd?define(e):(n=typeof globalThis<"u"?globalThis:n||self).dayjs_plugin_customParseFormat=e()})(t,(function(){"use strict";var n={LTS:"h:mm:ss A",LT:"h:mm A",L:"MM/DD/YYYY",LL:"MMMM D, YYYY",LLL:"MMMM D, YYYY h:mm A",LLLL:"dddd, MMMM D, YYYY h:mm A"},e=/(\[[^[]*\])|([-_:/.,()\s]+)|(A|a|Q|YYYY|YY?|ww?|MM?M?M?|Do|DD?|hh?|HH?|mm?|ss?|S{1,3}|z|ZZ?)/g,a=/\d/,h=/\d\d/,v=/\d\d?/,_=/\d*[^-_:/,()\s\d]+/,F={},D=o(function(m){return(m=+m)+(m>68?1900:2e3)},"a"),w=o(function(m){return function(S){this[m]=+S}},"f"),P=[/[+-]\d\d:?(\d\d)?|Z/,function(m){(this.zone||(this.zone={})).offset=(function(S){if(!S||S==="Z")return 0;var W=S.match(/([+-]|\d\d)/g),O=60*W[1]+(+W[2]||0);return O===0?0:W[0]==="+"?-O:O})(m)}],A=o(function(m){var S=F[m];return S&&(S.indexOf?S:S.s.concat(S.f))},"u"),N=o(function(m,S){var W,O=F.meridiem;if(O){for(var V=1;V<=24;V+=1)if(m.indexOf(O(V,0,S))>-1){W=V>12;break}}else W=m===(S?"pm":"PM");return W},"d"),j={A:[_,function(m){this.afternoon=N(m,!1)}],a:[_,function(m){this.afternoon=N(m,!0)}],Q:[a,function(m){this.month=3*(m-1)+1}],S:[a,function(m){this.milliseconds=100*+m}],SS:[h,function(m){this.milliseconds=10*+m}],SSS:[/\d{3}/,function(m){this.milliseconds=+m}],s:[v,w("seconds")],ss:[v,w("seconds")],m:[v,w("minutes")],mm:[v,w("minutes")],H:[v,w("hours")],h:[v,w("hours")],HH:[v,w("hours")],hh:[v,w("hours")],D:[v,w("day")],DD:[h,w("day")],Do:[_,function(m){var S=F.ordinal,W=m.match(/\d+/);if(this.day=W[0],S)for(var O=1;O<=31;O+=1)S(O).replace(/\[|\]/g,"")===m&&(this.day=O)}],w:[v,w("week")],ww:[h,w("week")],M:[v,w("month")],MM:[h,w("month")],MMM:[_,function(m){var S=A("months"),W=(A("monthsShort")||S.map((function(O){return O.slice(0,3)}))).indexOf(m)+1;if(W<1)throw new Error;this.month=W%12||W}],MMMM:[_,function(m){var S=A("months").indexOf(m)+1;if(S<1)throw new Error;this.month=S%12||S}],Y:[/[+-]?\d+/,w("year")],YY:[h,function(m){this.year=D(m)}],YYYY:[/\d{4}/,w("year")],Z:P,ZZ:P};function H(m){var S,W;S=m,W=F&&F.formats;for(var O=(m=S.replace(/(\[[^\]]+])|(LTS?|l{1,4}|L{1,4})/g,(function(y,g,p){var k=p&&p.toUpperCase();return g||W[p]||n[p]||W[k].replace(/(\[[^\]]+])|(MMMM|MM|DD|dddd)/g,(function(r,u,d){return u||d.slice(1)}))}))).match(e),V=O.length,R=0;R<V;R+=1){var E=O[R],b=j[E],f=b&&b[0],M=b&&b[1];O[R]=M?{regex:f,parser:M}:E.replace(/^\[|\]$/g,"")}return function(y){for(var g={},p=0,k=0;p<V;p+=1){var r=O[p];if(typeof r=="string")k+=r.length;else{var u=r.regex,d=r.parser,T=y.slice(k),i=u.exec(T)[0];d.call(g,i),y=y.replace(i,"")}}return(function(x){var c=x.afternoon;if(c!==void 0){var l=x.hours;c?l<12&&(x.hours+=12):l===12&&(x.hours=0),delete x.afternoon}})(g),g}}return o(H,"l"),function(m,S,W){W.p.customParseFormat=!0,m&&m.parseTwoDigitYear&&(D=m.parseTwoDigitYear);var O=S.prototype,V=O.parse;O.parse=function(R){var E=R.date,b=R.utc,f=R.args;this.$u=b;var M=f[1];if(typeof M=="string"){var y=f[2]===!0,g=f[3]===!0,p=y||g,k=f[2];g&&(k=f[2]),F=this.$locale(),!y&&k&&(F=W.Ls[k]),this.$d=(function(T,i,x,c){try{if(["x","X"].indexOf(i)>-1)return new Date((i==="X"?1e3:1)*T);var l=H(i)(T),$=l.year,Y=l.month,I=l.day,L=l.hours,B=l.minutes,C=l.seconds,U=l.milliseconds,it=l.zone,ot=l.week,kt=new Date,pt=I||($||Y?1:kt.getDate()),lt=$||kt.getFullYear(),z=0;$&&!Y||(z=Y>0?Y-1:kt.getMonth());var st,J=L||0,Z=B||0,bt=C||0,nt=U||0;return it?new Date(Date.UTC(lt,z,pt,J,Z,bt,nt+60*it.offset*1e3)):x?new Date(Date.UTC(lt,z,pt,J,Z,bt,nt)):(st=new Date(lt,z,pt,J,Z,bt,nt),ot&&(st=c(st).week(ot).toDate()),st)}catch{return new Date("")}})(E,M,b,W),this.init(),k&&k!==!0&&(this.$L=this.locale(k).$L),p&&E!=this.format(M)&&(this.$d=new Date("")),F={}}else if(M instanceof Array)for(var r=M.length,u=1;u<=r;u+=1){f[1]=M[u-1];var d=W.apply(this,f);if(d.isValid()){this.$d=d.$d,this.$L=d.$L,this.init();break}u===r&&(this.$d=new Date(""))}else V.call(this,R)}}}))}),He=Ct((t,s)=>{"use strict";(function(n,e){typeof t=="object"&&typeof s<"u"?s.exports=e():typeof define=="function"&&define.amd?define(e):(n=typeof globalThis<"u"?globalThis:n||self).dayjs_plugin_advancedFormat=e()})(t,(function(){"use strict";return function(n,e){var a=e.prototype,h=a.format;a.format=function(v){var _=this,F=this.$locale();if(!this.isValid())return h.bind(this)(v);var D=this.$utils(),w=(v||"YYYY-MM-DDTHH:mm:ssZ").replace(/\[([^\]]+)]|Q|wo|ww|w|WW|W|zzz|z|gggg|GGGG|Do|X|x|k{1,2}|S/g,(function(P){switch(P){case"Q":return Math.ceil((_.$M+1)/3);case"Do":return F.ordinal(_.$D);case"gggg":return _.weekYear();case"GGGG":return _.isoWeekYear();case"wo":return F.ordinal(_.week(),"W");case"w":case"ww":return D.s(_.week(),P==="w"?1:2,"0");case"W":case"WW":return D.s(_.isoWeek(),P==="W"?1:2,"0");case"k":case"kk":return D.s(String(_.$H===0?24:_.$H),P==="k"?1:2,"0");case"X":return Math.floor(_.$d.getTime()/1e3);case"x":return _.$d.getTime();case"z":return"["+_.offsetName()+"]";case"zzz":return"["+_.offsetName("long")+"]";default:return P}}));return h.bind(this)(w)}}}))}),je=Ct((t,s)=>{"use strict";(function(n,e){typeof t=="object"&&typeof s<"u"?s.exports=e():typeof define=="function"&&define.amd?define(e):(n=typeof globalThis<"u"?globalThis:n||self).dayjs_plugin_duration=e()})(t,(function(){"use strict";var n,e,a=1e3,h=6e4,v=36e5,_=864e5,F=31536e6,D=2628e6,w=/^(-|\+)?P(?:([-+]?[0-9,.]*)Y)?(?:([-+]?[0-9,.]*)M)?(?:([-+]?[0-9,.]*)W)?(?:([-+]?[0-9,.]*)D)?(?:T(?:([-+]?[0-9,.]*)H)?(?:([-+]?[0-9,.]*)M)?(?:([-+]?[0-9,.]*)S)?)?$/,P=/\[([^\]]+)]|YYYY|YY|Y|M{1,2}|D{1,2}|H{1,2}|m{1,2}|s{1,2}|SSS/g,A={years:F,months:D,days:_,hours:v,minutes:h,seconds:a,milliseconds:1,weeks:6048e5},N=o(function(E){return E instanceof V},"c"),j=o(function(E,b,f){return new V(E,f,b.$l)},"f"),H=o(function(E){return e.p(E)+"s"},"m"),m=o(function(E){return E<0},"l"),S=o(function(E){return m(E)?Math.ceil(E):Math.floor(E)},"$"),W=o(function(E){return Math.abs(E)},"y"),O=o(function(E,b){return E?m(E)?{negative:!0,format:""+W(E)+b}:{negative:!1,format:""+E+b}:{negative:!1,format:""}},"v"),V=(function(){function E(f,M,y){var g=this;if(this.$d={},this.$l=y,f===void 0&&(this.$ms=0,this.parseFromMilliseconds()),M)return j(f*A[H(M)],this);if(typeof f=="number")return this.$ms=f,this.parseFromMilliseconds(),this;if(typeof f=="object")return Object.keys(f).forEach((function(r){g.$d[H(r)]=f[r]})),this.calMilliseconds(),this;if(typeof f=="string"){var p=f.match(w);if(p){var k=p.slice(2).map((function(r){return r!=null?Number(r):0}));return this.$d.years=k[0],this.$d.months=k[1],this.$d.weeks=k[2],this.$d.days=k[3],this.$d.hours=k[4],this.$d.minutes=k[5],this.$d.seconds=k[6],this.calMilliseconds(),this}}return this}o(E,"l");var b=E.prototype;return b.calMilliseconds=function(){var f=this;this.$ms=Object.keys(this.$d).reduce((function(M,y){return M+(f.$d[y]||0)*A[y]}),0)},b.parseFromMilliseconds=function(){var f=this.$ms;this.$d.years=S(f/F),f%=F,this.$d.months=S(f/D),f%=D,this.$d.days=S(f/_),f%=_,this.$d.hours=S(f/v),f%=v,this.$d.minutes=S(f/h),f%=h,this.$d.seconds=S(f/a),f%=a,this.$d.milliseconds=f},b.toISOString=function(){var f=O(this.$d.years,"Y"),M=O(this.$d.months,"M"),y=+this.$d.days||0;this.$d.weeks&&(y+=7*this.$d.weeks);var g=O(y,"D"),p=O(this.$d.hours,"H"),k=O(this.$d.minutes,"M"),r=this.$d.seconds||0;this.$d.milliseconds&&(r+=this.$d.milliseconds/1e3,r=Math.round(1e3*r)/1e3);var u=O(r,"S"),d=f.negative||M.negative||g.negative||p.negative||k.negative||u.negative,T=p.format||k.format||u.format?"T":"",i=(d?"-":"")+"P"+f.format+M.format+g.format+T+p.format+k.format+u.format;return i==="P"||i==="-P"?"P0D":i},b.toJSON=function(){return this.toISOString()},b.format=function(f){var M=f||"YYYY-MM-DDTHH:mm:ss",y={Y:this.$d.years,YY:e.s(this.$d.years,2,"0"),YYYY:e.s(this.$d.years,4,"0"),M:this.$d.months,MM:e.s(this.$d.months,2,"0"),D:this.$d.days,DD:e.s(this.$d.days,2,"0"),H:this.$d.hours,HH:e.s(this.$d.hours,2,"0"),m:this.$d.minutes,mm:e.s(this.$d.minutes,2,"0"),s:this.$d.seconds,ss:e.s(this.$d.seconds,2,"0"),SSS:e.s(this.$d.milliseconds,3,"0")};return M.replace(P,(function(g,p){return p||String(y[g])}))},b.as=function(f){return this.$ms/A[H(f)]},b.get=function(f){var M=this.$ms,y=H(f);return y==="milliseconds"?M%=1e3:M=y==="weeks"?S(M/A[y]):this.$d[y],M||0},b.add=function(f,M,y){var g;return g=M?f*A[H(M)]:N(f)?f.$ms:j(f,this).$ms,j(this.$ms+g*(y?-1:1),this)},b.subtract=function(f,M){return this.add(f,M,!0)},b.locale=function(f){var M=this.clone();return M.$l=f,M},b.clone=function(){return j(this.$ms,this)},b.humanize=function(f){return n().add(this.$ms,"ms").locale(this.$l).fromNow(!f)},b.valueOf=function(){return this.asMilliseconds()},b.milliseconds=function(){return this.get("milliseconds")},b.asMilliseconds=function(){return this.as("milliseconds")},b.seconds=function(){return this.get("seconds")},b.asSeconds=function(){return this.as("seconds")},b.minutes=function(){return this.get("minutes")},b.asMinutes=function(){return this.as("minutes")},b.hours=function(){return this.get("hours")},b.asHours=function(){return this.as("hours")},b.days=function(){return this.get("days")},b.asDays=function(){return this.as("days")},b.weeks=function(){return this.get("weeks")},b.asWeeks=function(){return this.as("weeks")},b.months=function(){return this.get("months")},b.asMonths=function(){return this.as("months")},b.years=function(){return this.get("years")},b.asYears=function(){return this.as("years")},E})(),R=o(function(E,b,f){return E.add(b.years()*f,"y").add(b.months()*f,"M").add(b.days()*f,"d").add(b.hours()*f,"h").add(b.minutes()*f,"m").add(b.seconds()*f,"s").add(b.milliseconds()*f,"ms")},"p");return function(E,b,f){n=f,e=f().$utils(),f.duration=function(g,p){var k=f.locale();return j(g,{$l:k},p)},f.isDuration=N;var M=b.prototype.add,y=b.prototype.subtract;b.prototype.add=function(g,p){return N(g)?R(this,g,1):M.bind(this)(g,p)},b.prototype.subtract=function(g,p){return N(g)?R(this,g,-1):y.bind(this)(g,p)}}}))}),Et=(function(){var t=o(function(k,r,u,d){for(u=u||{},d=k.length;d--;u[k[d]]=r);return u},"o"),s=[6,8,10,12,13,14,15,16,17,18,20,21,22,23,24,25,26,27,28,29,30,31,33,35,36,38,40],n=[1,26],e=[1,27],a=[1,28],h=[1,29],v=[1,30],_=[1,31],F=[1,32],D=[1,33],w=[1,34],P=[1,9],A=[1,10],N=[1,11],j=[1,12],H=[1,13],m=[1,14],S=[1,15],W=[1,16],O=[1,19],V=[1,20],R=[1,21],E=[1,22],b=[1,23],f=[1,25],M=[1,35],y={trace:o(function(){},"trace"),yy:{},symbols_:{error:2,start:3,gantt:4,document:5,EOF:6,line:7,SPACE:8,statement:9,NL:10,weekday:11,weekday_monday:12,weekday_tuesday:13,weekday_wednesday:14,weekday_thursday:15,weekday_friday:16,weekday_saturday:17,weekday_sunday:18,weekend:19,weekend_friday:20,weekend_saturday:21,dateFormat:22,inclusiveEndDates:23,topAxis:24,axisFormat:25,tickInterval:26,excludes:27,includes:28,todayMarker:29,title:30,acc_title:31,acc_title_value:32,acc_descr:33,acc_descr_value:34,acc_descr_multiline_value:35,section:36,clickStatement:37,taskTxt:38,taskData:39,click:40,callbackname:41,callbackargs:42,href:43,clickStatementDebug:44,$accept:0,$end:1},terminals_:{2:"error",4:"gantt",6:"EOF",8:"SPACE",10:"NL",12:"weekday_monday",13:"weekday_tuesday",14:"weekday_wednesday",15:"weekday_thursday",16:"weekday_friday",17:"weekday_saturday",18:"weekday_sunday",20:"weekend_friday",21:"weekend_saturday",22:"dateFormat",23:"inclusiveEndDates",24:"topAxis",25:"axisFormat",26:"tickInterval",27:"excludes",28:"includes",29:"todayMarker",30:"title",31:"acc_title",32:"acc_title_value",33:"acc_descr",34:"acc_descr_value",35:"acc_descr_multiline_value",36:"section",38:"taskTxt",39:"taskData",40:"click",41:"callbackname",42:"callbackargs",43:"href"},productions_:[0,[3,3],[5,0],[5,2],[7,2],[7,1],[7,1],[7,1],[11,1],[11,1],[11,1],[11,1],[11,1],[11,1],[11,1],[19,1],[19,1],[9,1],[9,1],[9,1],[9,1],[9,1],[9,1],[9,1],[9,1],[9,1],[9,1],[9,1],[9,2],[9,2],[9,1],[9,1],[9,1],[9,2],[37,2],[37,3],[37,3],[37,4],[37,3],[37,4],[37,2],[44,2],[44,3],[44,3],[44,4],[44,3],[44,4],[44,2]],performAction:o(function(k,r,u,d,T,i,x){var c=i.length-1;switch(T){case 1:return i[c-1];case 2:this.$=[];break;case 3:i[c-1].push(i[c]),this.$=i[c-1];break;case 4:case 5:this.$=i[c];break;case 6:case 7:this.$=[];break;case 8:d.setWeekday("monday");break;case 9:d.setWeekday("tuesday");break;case 10:d.setWeekday("wednesday");break;case 11:d.setWeekday("thursday");break;case 12:d.setWeekday("friday");break;case 13:d.setWeekday("saturday");break;case 14:d.setWeekday("sunday");break;case 15:d.setWeekend("friday");break;case 16:d.setWeekend("saturday");break;case 17:d.setDateFormat(i[c].substr(11)),this.$=i[c].substr(11);break;case 18:d.enableInclusiveEndDates(),this.$=i[c].substr(18);break;case 19:d.TopAxis(),this.$=i[c].substr(8);break;case 20:d.setAxisFormat(i[c].substr(11)),this.$=i[c].substr(11);break;case 21:d.setTickInterval(i[c].substr(13)),this.$=i[c].substr(13);break;case 22:d.setExcludes(i[c].substr(9)),this.$=i[c].substr(9);break;case 23:d.setIncludes(i[c].substr(9)),this.$=i[c].substr(9);break;case 24:d.setTodayMarker(i[c].substr(12)),this.$=i[c].substr(12);break;case 27:d.setDiagramTitle(i[c].substr(6)),this.$=i[c].substr(6);break;case 28:this.$=i[c].trim(),d.setAccTitle(this.$);break;case 29:case 30:this.$=i[c].trim(),d.setAccDescription(this.$);break;case 31:d.addSection(i[c].substr(8)),this.$=i[c].substr(8);break;case 33:d.addTask(i[c-1],i[c]),this.$="task";break;case 34:this.$=i[c-1],d.setClickEvent(i[c-1],i[c],null);break;case 35:this.$=i[c-2],d.setClickEvent(i[c-2],i[c-1],i[c]);break;case 36:this.$=i[c-2],d.setClickEvent(i[c-2],i[c-1],null),d.setLink(i[c-2],i[c]);break;case 37:this.$=i[c-3],d.setClickEvent(i[c-3],i[c-2],i[c-1]),d.setLink(i[c-3],i[c]);break;case 38:this.$=i[c-2],d.setClickEvent(i[c-2],i[c],null),d.setLink(i[c-2],i[c-1]);break;case 39:this.$=i[c-3],d.setClickEvent(i[c-3],i[c-1],i[c]),d.setLink(i[c-3],i[c-2]);break;case 40:this.$=i[c-1],d.setLink(i[c-1],i[c]);break;case 41:case 47:this.$=i[c-1]+" "+i[c];break;case 42:case 43:case 45:this.$=i[c-2]+" "+i[c-1]+" "+i[c];break;case 44:case 46:this.$=i[c-3]+" "+i[c-2]+" "+i[c-1]+" "+i[c];break}},"anonymous"),table:[{3:1,4:[1,2]},{1:[3]},t(s,[2,2],{5:3}),{6:[1,4],7:5,8:[1,6],9:7,10:[1,8],11:17,12:n,13:e,14:a,15:h,16:v,17:_,18:F,19:18,20:D,21:w,22:P,23:A,24:N,25:j,26:H,27:m,28:S,29:W,30:O,31:V,33:R,35:E,36:b,37:24,38:f,40:M},t(s,[2,7],{1:[2,1]}),t(s,[2,3]),{9:36,11:17,12:n,13:e,14:a,15:h,16:v,17:_,18:F,19:18,20:D,21:w,22:P,23:A,24:N,25:j,26:H,27:m,28:S,29:W,30:O,31:V,33:R,35:E,36:b,37:24,38:f,40:M},t(s,[2,5]),t(s,[2,6]),t(s,[2,17]),t(s,[2,18]),t(s,[2,19]),t(s,[2,20]),t(s,[2,21]),t(s,[2,22]),t(s,[2,23]),t(s,[2,24]),t(s,[2,25]),t(s,[2,26]),t(s,[2,27]),{32:[1,37]},{34:[1,38]},t(s,[2,30]),t(s,[2,31]),t(s,[2,32]),{39:[1,39]},t(s,[2,8]),t(s,[2,9]),t(s,[2,10]),t(s,[2,11]),t(s,[2,12]),t(s,[2,13]),t(s,[2,14]),t(s,[2,15]),t(s,[2,16]),{41:[1,40],43:[1,41]},t(s,[2,4]),t(s,[2,28]),t(s,[2,29]),t(s,[2,33]),t(s,[2,34],{42:[1,42],43:[1,43]}),t(s,[2,40],{41:[1,44]}),t(s,[2,35],{43:[1,45]}),t(s,[2,36]),t(s,[2,38],{42:[1,46]}),t(s,[2,37]),t(s,[2,39])],defaultActions:{},parseError:o(function(k,r){if(r.recoverable)this.trace(k);else{var u=new Error(k);throw u.hash=r,u}},"parseError"),parse:o(function(k){var r=this,u=[0],d=[],T=[null],i=[],x=this.table,c="",l=0,$=0,Y=0,I=2,L=1,B=i.slice.call(arguments,1),C=Object.create(this.lexer),U={yy:{}};for(var it in this.yy)Object.prototype.hasOwnProperty.call(this.yy,it)&&(U.yy[it]=this.yy[it]);C.setInput(k,U.yy),U.yy.lexer=C,U.yy.parser=this,typeof C.yylloc>"u"&&(C.yylloc={});var ot=C.yylloc;i.push(ot);var kt=C.options&&C.options.ranges;typeof U.yy.parseError=="function"?this.parseError=U.yy.parseError:this.parseError=Object.getPrototypeOf(this).parseError;function pt(X){u.length=u.length-2*X,T.length=T.length-X,i.length=i.length-X}o(pt,"popStack");function lt(){var X;return X=d.pop()||C.lex()||L,typeof X!="number"&&(X instanceof Array&&(d=X,X=d.pop()),X=r.symbols_[X]||X),X}o(lt,"lex");for(var z,st,J,Z,bt,nt,ct={},Tt,K,Vt,xt;;){if(J=u[u.length-1],this.defaultActions[J]?Z=this.defaultActions[J]:((z===null||typeof z>"u")&&(z=lt()),Z=x[J]&&x[J][z]),typeof Z>"u"||!Z.length||!Z[0]){var Mt="";xt=[];for(Tt in x[J])this.terminals_[Tt]&&Tt>I&&xt.push("'"+this.terminals_[Tt]+"'");C.showPosition?Mt="Parse error on line "+(l+1)+`:
`+C.showPosition()+`
Expecting `+xt.join(", ")+", got '"+(this.terminals_[z]||z)+"'":Mt="Parse error on line "+(l+1)+": Unexpected "+(z==L?"end of input":"'"+(this.terminals_[z]||z)+"'"),this.parseError(Mt,{text:C.match,token:this.terminals_[z]||z,line:C.yylineno,loc:ot,expected:xt})}if(Z[0]instanceof Array&&Z.length>1)throw new Error("Parse Error: multiple actions possible at state: "+J+", token: "+z);switch(Z[0]){case 1:u.push(z),T.push(C.yytext),i.push(C.yylloc),u.push(Z[1]),z=null,st?(z=st,st=null):($=C.yyleng,c=C.yytext,l=C.yylineno,ot=C.yylloc,Y>0);break;case 2:if(K=this.productions_[Z[1]][1],ct.$=T[T.length-K],ct._$={first_line:i[i.length-(K||1)].first_line,last_line:i[i.length-1].last_line,first_column:i[i.length-(K||1)].first_column,last_column:i[i.length-1].last_column},kt&&(ct._$.range=[i[i.length-(K||1)].range[0],i[i.length-1].range[1]]),nt=this.performAction.apply(ct,[c,$,l,U.yy,Z[1],T,i].concat(B)),typeof nt<"u")return nt;K&&(u=u.slice(0,-1*K*2),T=T.slice(0,-1*K),i=i.slice(0,-1*K)),u.push(this.productions_[Z[1]][0]),T.push(ct.$),i.push(ct._$),Vt=x[u[u.length-2]][u[u.length-1]],u.push(Vt);break;case 3:return!0}}return!0},"parse")},g=(function(){var k={EOF:1,parseError:o(function(r,u){if(this.yy.parser)this.yy.parser.parseError(r,u);else throw new Error(r)},"parseError"),setInput:o(function(r,u){return this.yy=u||this.yy||{},this._input=r,this._more=this._backtrack=this.done=!1,this.yylineno=this.yyleng=0,this.yytext=this.matched=this.match="",this.conditionStack=["INITIAL"],this.yylloc={first_line:1,first_column:0,last_line:1,last_column:0},this.options.ranges&&(this.yylloc.range=[0,0]),this.offset=0,this},"setInput"),input:o(function(){var r=this._input[0];this.yytext+=r,this.yyleng++,this.offset++,this.match+=r,this.matched+=r;var u=r.match(/(?:\r\n?|\n).*/g);return u?(this.yylineno++,this.yylloc.last_line++):this.yylloc.last_column++,this.options.ranges&&this.yylloc.range[1]++,this._input=this._input.slice(1),r},"input"),unput:o(function(r){var u=r.length,d=r.split(/(?:\r\n?|\n)/g);this._input=r+this._input,this.yytext=this.yytext.substr(0,this.yytext.length-u),this.offset-=u;var T=this.match.split(/(?:\r\n?|\n)/g);this.match=this.match.substr(0,this.match.length-1),this.matched=this.matched.substr(0,this.matched.length-1),d.length-1&&(this.yylineno-=d.length-1);var i=this.yylloc.range;return this.yylloc={first_line:this.yylloc.first_line,last_line:this.yylineno+1,first_column:this.yylloc.first_column,last_column:d?(d.length===T.length?this.yylloc.first_column:0)+T[T.length-d.length].length-d[0].length:this.yylloc.first_column-u},this.options.ranges&&(this.yylloc.range=[i[0],i[0]+this.yyleng-u]),this.yyleng=this.yytext.length,this},"unput"),more:o(function(){return this._more=!0,this},"more"),reject:o(function(){if(this.options.backtrack_lexer)this._backtrack=!0;else return this.parseError("Lexical error on line "+(this.yylineno+1)+`. You can only invoke reject() in the lexer when the lexer is of the backtracking persuasion (options.backtrack_lexer = true).
`+this.showPosition(),{text:"",token:null,line:this.yylineno});return this},"reject"),less:o(function(r){this.unput(this.match.slice(r))},"less"),pastInput:o(function(){var r=this.matched.substr(0,this.matched.length-this.match.length);return(r.length>20?"...":"")+r.substr(-20).replace(/\n/g,"")},"pastInput"),upcomingInput:o(function(){var r=this.match;return r.length<20&&(r+=this._input.substr(0,20-r.length)),(r.substr(0,20)+(r.length>20?"...":"")).replace(/\n/g,"")},"upcomingInput"),showPosition:o(function(){var r=this.pastInput(),u=new Array(r.length+1).join("-");return r+this.upcomingInput()+`
`+u+"^"},"showPosition"),test_match:o(function(r,u){var d,T,i;if(this.options.backtrack_lexer&&(i={yylineno:this.yylineno,yylloc:{first_line:this.yylloc.first_line,last_line:this.last_line,first_column:this.yylloc.first_column,last_column:this.yylloc.last_column},yytext:this.yytext,match:this.match,matches:this.matches,matched:this.matched,yyleng:this.yyleng,offset:this.offset,_more:this._more,_input:this._input,yy:this.yy,conditionStack:this.conditionStack.slice(0),done:this.done},this.options.ranges&&(i.yylloc.range=this.yylloc.range.slice(0))),T=r[0].match(/(?:\r\n?|\n).*/g),T&&(this.yylineno+=T.length),this.yylloc={first_line:this.yylloc.last_line,last_line:this.yylineno+1,first_column:this.yylloc.last_column,last_column:T?T[T.length-1].length-T[T.length-1].match(/\r?\n?/)[0].length:this.yylloc.last_column+r[0].length},this.yytext+=r[0],this.match+=r[0],this.matches=r,this.yyleng=this.yytext.length,this.options.ranges&&(this.yylloc.range=[this.offset,this.offset+=this.yyleng]),this._more=!1,this._backtrack=!1,this._input=this._input.slice(r[0].length),this.matched+=r[0],d=this.performAction.call(this,this.yy,this,u,this.conditionStack[this.conditionStack.length-1]),this.done&&this._input&&(this.done=!1),d)return d;if(this._backtrack){for(var x in i)this[x]=i[x];return!1}return!1},"test_match"),next:o(function(){if(this.done)return this.EOF;this._input||(this.done=!0);var r,u,d,T;this._more||(this.yytext="",this.match="");for(var i=this._currentRules(),x=0;x<i.length;x++)if(d=this._input.match(this.rules[i[x]]),d&&(!u||d[0].length>u[0].length)){if(u=d,T=x,this.options.backtrack_lexer){if(r=this.test_match(d,i[x]),r!==!1)return r;if(this._backtrack){u=!1;continue}else return!1}else if(!this.options.flex)break}return u?(r=this.test_match(u,i[T]),r!==!1?r:!1):this._input===""?this.EOF:this.parseError("Lexical error on line "+(this.yylineno+1)+`. Unrecognized text.
`+this.showPosition(),{text:"",token:null,line:this.yylineno})},"next"),lex:o(function(){var r=this.next();return r||this.lex()},"lex"),begin:o(function(r){this.conditionStack.push(r)},"begin"),popState:o(function(){var r=this.conditionStack.length-1;return r>0?this.conditionStack.pop():this.conditionStack[0]},"popState"),_currentRules:o(function(){return this.conditionStack.length&&this.conditionStack[this.conditionStack.length-1]?this.conditions[this.conditionStack[this.conditionStack.length-1]].rules:this.conditions.INITIAL.rules},"_currentRules"),topState:o(function(r){return r=this.conditionStack.length-1-Math.abs(r||0),r>=0?this.conditionStack[r]:"INITIAL"},"topState"),pushState:o(function(r){this.begin(r)},"pushState"),stateStackSize:o(function(){return this.conditionStack.length},"stateStackSize"),options:{"case-insensitive":!0},performAction:o(function(r,u,d,T){switch(d){case 0:return this.begin("open_directive"),"open_directive";case 1:return this.begin("acc_title"),31;case 2:return this.popState(),"acc_title_value";case 3:return this.begin("acc_descr"),33;case 4:return this.popState(),"acc_descr_value";case 5:this.begin("acc_descr_multiline");break;case 6:this.popState();break;case 7:return"acc_descr_multiline_value";case 8:break;case 9:break;case 10:break;case 11:return 10;case 12:break;case 13:break;case 14:this.begin("href");break;case 15:this.popState();break;case 16:return 43;case 17:this.begin("callbackname");break;case 18:this.popState();break;case 19:this.popState(),this.begin("callbackargs");break;case 20:return 41;case 21:this.popState();break;case 22:return 42;case 23:this.begin("click");break;case 24:this.popState();break;case 25:return 40;case 26:return 4;case 27:return 22;case 28:return 23;case 29:return 24;case 30:return 25;case 31:return 26;case 32:return 28;case 33:return 27;case 34:return 29;case 35:return 12;case 36:return 13;case 37:return 14;case 38:return 15;case 39:return 16;case 40:return 17;case 41:return 18;case 42:return 20;case 43:return 21;case 44:return"date";case 45:return 30;case 46:return"accDescription";case 47:return 36;case 48:return 38;case 49:return 39;case 50:return":";case 51:return 6;case 52:return"INVALID"}},"anonymous"),rules:[/^(?:%%\{)/i,/^(?:accTitle\s*:\s*)/i,/^(?:(?!\n||)*[^\n]*)/i,/^(?:accDescr\s*:\s*)/i,/^(?:(?!\n||)*[^\n]*)/i,/^(?:accDescr\s*\{\s*)/i,/^(?:[\}])/i,/^(?:[^\}]*)/i,/^(?:%%(?!\{)*[^\n]*)/i,/^(?:[^\}]%%*[^\n]*)/i,/^(?:%%*[^\n]*[\n]*)/i,/^(?:[\n]+)/i,/^(?:\s+)/i,/^(?:%[^\n]*)/i,/^(?:href[\s]+["])/i,/^(?:["])/i,/^(?:[^"]*)/i,/^(?:call[\s]+)/i,/^(?:\([\s]*\))/i,/^(?:\()/i,/^(?:[^(]*)/i,/^(?:\))/i,/^(?:[^)]*)/i,/^(?:click[\s]+)/i,/^(?:[\s\n])/i,/^(?:[^\s\n]*)/i,/^(?:gantt\b)/i,/^(?:dateFormat\s[^#\n;]+)/i,/^(?:inclusiveEndDates\b)/i,/^(?:topAxis\b)/i,/^(?:axisFormat\s[^#\n;]+)/i,/^(?:tickInterval\s[^#\n;]+)/i,/^(?:includes\s[^#\n;]+)/i,/^(?:excludes\s[^#\n;]+)/i,/^(?:todayMarker\s[^\n;]+)/i,/^(?:weekday\s+monday\b)/i,/^(?:weekday\s+tuesday\b)/i,/^(?:weekday\s+wednesday\b)/i,/^(?:weekday\s+thursday\b)/i,/^(?:weekday\s+friday\b)/i,/^(?:weekday\s+saturday\b)/i,/^(?:weekday\s+sunday\b)/i,/^(?:weekend\s+friday\b)/i,/^(?:weekend\s+saturday\b)/i,/^(?:\d\d\d\d-\d\d-\d\d\b)/i,/^(?:title\s[^\n]+)/i,/^(?:accDescription\s[^#\n;]+)/i,/^(?:section\s[^\n]+)/i,/^(?:[^:\n]+)/i,/^(?::[^#\n;]+)/i,/^(?::)/i,/^(?:$)/i,/^(?:.)/i],conditions:{acc_descr_multiline:{rules:[6,7],inclusive:!1},acc_descr:{rules:[4],inclusive:!1},acc_title:{rules:[2],inclusive:!1},callbackargs:{rules:[21,22],inclusive:!1},callbackname:{rules:[18,19,20],inclusive:!1},href:{rules:[15,16],inclusive:!1},click:{rules:[24,25],inclusive:!1},INITIAL:{rules:[0,1,3,5,8,9,10,11,12,13,14,17,23,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52],inclusive:!0}}};return k})();y.lexer=g;function p(){this.yy={}}return o(p,"Parser"),p.prototype=y,y.Parser=p,new p})();Et.parser=Et;var ze=Et,Re=rt(We()),Q=rt(ie()),Ge=rt(Pe()),Ve=rt(Ne()),Be=rt(He());Q.default.extend(Ge.default);Q.default.extend(Ve.default);Q.default.extend(Be.default);var Kt={friday:5,saturday:6},q="",At="",Wt,Ft="",ft=[],yt=[],Pt=new Map,Nt=[],Dt=[],mt="",Ht="",se=["active","done","crit","milestone","vert"],jt=[],dt="",vt=!1,zt=!1,Rt="sunday",St="saturday",Lt=0,Ze=o(function(){Nt=[],Dt=[],mt="",jt=[],wt=0,Ot=void 0,_t=void 0,G=[],q="",At="",Ht="",Wt=void 0,Ft="",ft=[],yt=[],vt=!1,zt=!1,Lt=0,Pt=new Map,dt="",Ae(),Rt="sunday",St="saturday"},"clear"),Xe=o(function(t){dt=t},"setDiagramId"),Qe=o(function(t){At=t},"setAxisFormat"),Ue=o(function(){return At},"getAxisFormat"),Je=o(function(t){Wt=t},"setTickInterval"),qe=o(function(){return Wt},"getTickInterval"),Ke=o(function(t){Ft=t},"setTodayMarker"),ti=o(function(){return Ft},"getTodayMarker"),ei=o(function(t){q=t},"setDateFormat"),ii=o(function(){vt=!0},"enableInclusiveEndDates"),si=o(function(){return vt},"endDatesAreInclusive"),ni=o(function(){zt=!0},"enableTopAxis"),ri=o(function(){return zt},"topAxisEnabled"),ai=o(function(t){Ht=t},"setDisplayMode"),oi=o(function(){return Ht},"getDisplayMode"),li=o(function(){return q},"getDateFormat"),ne=o((t,s)=>{let n=s.toLowerCase().split(/[\s,]+/).filter(e=>e!=="");return[...new Set([...t,...n])]},"mergeTokens"),ci=o(function(t){ft=ne(ft,t)},"setIncludes"),di=o(function(){return ft},"getIncludes"),ui=o(function(t){yt=ne(yt,t)},"setExcludes"),hi=o(function(){return yt},"getExcludes"),fi=o(function(){return Pt},"getLinks"),yi=o(function(t){mt=t,Nt.push(t)},"addSection"),mi=o(function(){return Nt},"getSections"),ki=o(function(){let t=te(),s=10,n=0;for(;!t&&n<s;)t=te(),n++;return Dt=G,Dt},"getTasks"),re=o(function(t,s,n,e){let a=t.format(s.trim()),h=t.format("YYYY-MM-DD");return e.includes(a)||e.includes(h)?!1:n.includes("weekends")&&(t.isoWeekday()===Kt[St]||t.isoWeekday()===Kt[St]+1)||n.includes(t.format("dddd").toLowerCase())?!0:n.includes(a)||n.includes(h)},"isInvalidDate"),pi=o(function(t){Rt=t},"setWeekday"),gi=o(function(){return Rt},"getWeekday"),vi=o(function(t){St=t},"setWeekend"),ae=o(function(t,s,n,e){if(!n.length||t.manualEndTime)return;let a;t.startTime instanceof Date?a=(0,Q.default)(t.startTime):a=(0,Q.default)(t.startTime,s,!0),a=a.add(1,"d");let h;t.endTime instanceof Date?h=(0,Q.default)(t.endTime):h=(0,Q.default)(t.endTime,s,!0);let[v,_]=bi(a,h,s,n,e);t.endTime=v.toDate(),t.renderEndTime=_},"checkTaskDates"),bi=o(function(t,s,n,e,a){let h=!1,v=null,_=s.add(1e4,"d");for(;t<=s;){if(h||(v=s.toDate()),h=re(t,n,e,a),h&&(s=s.add(1,"d"),s>_))throw new Error("Failed to find a valid date that was not excluded by `excludes` after 10,000 iterations.");t=t.add(1,"d")}return[s,v]},"fixTaskDates"),oe=o(function(t,s){et.warn(`Gantt: the "${t}" statement references unknown task id(s): ${s.join(", ")}. Make sure the referenced tasks exist and declare an id. Milestones need both an id and a duration, e.g. "Milestone :milestone, m1, 2023-01-01, 0d".`)},"warnAboutUnknownTaskIds"),It=o(function(t,s,n){if(n=n.trim(),o(h=>{let v=h.trim();return v==="x"||v==="X"},"isTimestampFormat")(s)&&/^\d+$/.test(n))return new Date(Number(n));let e=/^after\s+(?<ids>[\d\w- ]+)/.exec(n);if(e!==null){let h=null,v=[],_=e.groups.ids.split(" ").filter(D=>D!=="");for(let D of _){let w=at(D);if(w===void 0){v.push(D);continue}(!h||w.endTime>h.endTime)&&(h=w)}if(v.length>0&&oe("after",v),h)return h.endTime;let F=new Date;return F.setHours(0,0,0,0),F}let a=(0,Q.default)(n,s.trim(),!0);if(a.isValid())return a.toDate();{et.debug("Invalid date:"+n),et.debug("With date format:"+s.trim());let h=new Date(n);if(h===void 0||isNaN(h.getTime())||h.getFullYear()<-1e4||h.getFullYear()>1e4)throw new Error("Invalid date:"+n);return h}},"getStartDate"),le=o(function(t){let s=/^(\d+(?:\.\d+)?)([Mdhmswy]|ms)$/.exec(t.trim());return s!==null?[Number.parseFloat(s[1]),s[2]]:[NaN,"ms"]},"parseDuration"),ce=o(function(t,s,n,e=!1){n=n.trim();let a=/^until\s+(?<ids>[\d\w- ]+)/.exec(n);if(a!==null){let D=null,w=[],P=a.groups.ids.split(" ").filter(N=>N!=="");for(let N of P){let j=at(N);if(j===void 0){w.push(N);continue}(!D||j.startTime<D.startTime)&&(D=j)}if(w.length>0&&oe("until",w),D)return D.startTime;let A=new Date;return A.setHours(0,0,0,0),A}let h=(0,Q.default)(n,s.trim(),!0);if(h.isValid())return e&&(h=h.add(1,"d")),h.toDate();let v=(0,Q.default)(t),[_,F]=le(n);if(Number.isNaN(_))et.warn(`Gantt: "${n}" is neither a valid date for the "${s.trim()}" date format nor a valid duration (e.g. "3d"), so it is ignored and the task gets a zero duration. Milestones need a duration too, e.g. "Milestone :milestone, m1, 2023-01-01, 0d".`);else{let D=v.add(_,F);D.isValid()&&(v=D)}return v.toDate()},"getEndDate"),wt=0,ht=o(function(t){return t===void 0?(wt=wt+1,"task"+wt):t},"parseId"),Ti=o(function(t,s){let n;s.substr(0,1)===":"?n=s.substr(1,s.length):n=s;let e=n.split(","),a={};Gt(e,a,se);for(let v=0;v<e.length;v++)e[v]=e[v].trim();let h="";switch(e.length){case 1:a.id=ht(),a.startTime=t.endTime,h=e[0];break;case 2:a.id=ht(),a.startTime=It(void 0,q,e[0]),h=e[1];break;case 3:a.id=ht(e[0]),a.startTime=It(void 0,q,e[1]),h=e[2];break}return h&&(a.endTime=ce(a.startTime,q,h,vt),a.manualEndTime=(0,Q.default)(h,"YYYY-MM-DD",!0).isValid(),ae(a,q,yt,ft)),a},"compileData"),xi=o(function(t,s){let n;s.substr(0,1)===":"?n=s.substr(1,s.length):n=s;let e=n.split(","),a={};Gt(e,a,se);for(let h=0;h<e.length;h++)e[h]=e[h].trim();switch(e.length){case 1:a.id=ht(),a.startTime={type:"prevTaskEnd",id:t},a.endTime={data:e[0]};break;case 2:a.id=ht(),a.startTime={type:"getStartDate",startData:e[0]},a.endTime={data:e[1]};break;case 3:a.id=ht(e[0]),a.startTime={type:"getStartDate",startData:e[1]},a.endTime={data:e[2]};break}return a},"parseData"),Ot,_t,G=[],de={},$i=o(function(t,s){let n={section:mt,type:mt,processed:!1,manualEndTime:!1,renderEndTime:null,raw:{data:s},task:t,classes:[]},e=xi(_t,s);n.raw.startTime=e.startTime,n.raw.endTime=e.endTime,n.id=e.id,n.prevTaskId=_t,n.active=e.active,n.done=e.done,n.crit=e.crit,n.milestone=e.milestone,n.vert=e.vert,n.vert?n.order=-1:(n.order=Lt,Lt++);let a=G.push(n);_t=n.id,de[n.id]=a-1},"addTask"),at=o(function(t){let s=de[t];return G[s]},"findTaskById"),wi=o(function(t,s){let n={section:mt,type:mt,description:t,task:t,classes:[]},e=Ti(Ot,s);n.startTime=e.startTime,n.endTime=e.endTime,n.id=e.id,n.active=e.active,n.done=e.done,n.crit=e.crit,n.milestone=e.milestone,n.vert=e.vert,Ot=n,Dt.push(n)},"addTaskOrg"),te=o(function(){let t=o(function(n){let e=G[n],a="";switch(G[n].raw.startTime.type){case"prevTaskEnd":{let h=at(e.prevTaskId);e.startTime=h.endTime;break}case"getStartDate":a=It(void 0,q,G[n].raw.startTime.startData),a&&(G[n].startTime=a);break}return G[n].startTime&&(G[n].endTime=ce(G[n].startTime,q,G[n].raw.endTime.data,vt),G[n].endTime&&(G[n].processed=!0,G[n].manualEndTime=(0,Q.default)(G[n].raw.endTime.data,"YYYY-MM-DD",!0).isValid(),ae(G[n],q,yt,ft))),G[n].processed},"compileTask"),s=!0;for(let[n,e]of G.entries())t(n),s=s&&e.processed;return s},"compileTasks"),_i=o(function(t,s){let n=s;ut().securityLevel!=="loose"&&(n=(0,Re.sanitizeUrl)(s)),t.split(",").forEach(function(e){at(e)!==void 0&&(he(e,()=>{window.open(n,"_self")}),Pt.set(e,n))}),ue(t,"clickable")},"setLink"),ue=o(function(t,s){t.split(",").forEach(function(n){let e=at(n);e!==void 0&&e.classes.push(s)})},"setClass"),Di=o(function(t,s,n){if(ut().securityLevel!=="loose"||s===void 0)return;let e=[];if(typeof n=="string"){e=n.split(/,(?=(?:(?:[^"]*"){2})*[^"]*$)/);for(let a=0;a<e.length;a++){let h=e[a].trim();h.startsWith('"')&&h.endsWith('"')&&(h=h.substr(1,h.length-2)),e[a]=h}}e.length===0&&e.push(t),at(t)!==void 0&&he(t,()=>{Fe.runFunc(s,...e)})},"setClickFun"),he=o(function(t,s){jt.push(function(){let n=dt?`${dt}-${t}`:t,e=document.querySelector(`[id="${n}"]`);e!==null&&e.addEventListener("click",function(){s()})},function(){let n=dt?`${dt}-${t}`:t,e=document.querySelector(`[id="${n}-text"]`);e!==null&&e.addEventListener("click",function(){s()})})},"pushFun"),Si=o(function(t,s,n){t.split(",").forEach(function(e){Di(e,s,n)}),ue(t,"clickable")},"setClickEvent"),Ci=o(function(t){jt.forEach(function(s){s(t)})},"bindFunctions"),Mi={getConfig:o(()=>ut().gantt,"getConfig"),clear:Ze,setDateFormat:ei,getDateFormat:li,enableInclusiveEndDates:ii,endDatesAreInclusive:si,enableTopAxis:ni,topAxisEnabled:ri,setAxisFormat:Qe,getAxisFormat:Ue,setTickInterval:Je,getTickInterval:qe,setTodayMarker:Ke,getTodayMarker:ti,setAccTitle:ge,getAccTitle:pe,setDiagramTitle:ke,getDiagramTitle:me,setDiagramId:Xe,setDisplayMode:ai,getDisplayMode:oi,setAccDescription:ye,getAccDescription:fe,addSection:yi,getSections:mi,getTasks:ki,addTask:$i,findTaskById:at,addTaskOrg:wi,setIncludes:ci,getIncludes:di,setExcludes:ui,getExcludes:hi,setClickEvent:Si,setLink:_i,getLinks:fi,bindFunctions:Ci,parseDuration:le,isInvalidDate:re,setWeekday:pi,getWeekday:gi,setWeekend:vi};function Gt(t,s,n){let e=!0;for(;e;)e=!1,n.forEach(function(a){let h="^\\s*"+a+"\\s*$",v=new RegExp(h);t[0].match(v)&&(s[a]=!0,t.shift(1),e=!0)})}o(Gt,"getTaskTags");var gt=rt(ie()),Yi=rt(je());gt.default.extend(Yi.default);var Ei=o(function(){et.debug("Something is calling, setConf, remove the call")},"setConf"),ee={monday:Le,tuesday:Ee,wednesday:Ye,thursday:Me,friday:Ce,saturday:Se,sunday:De},Li=o((t,s)=>{let n=[...t].map(()=>-1/0),e=[...t].sort((h,v)=>h.startTime-v.startTime||h.order-v.order),a=0;for(let h of e)for(let v=0;v<n.length;v++)if(h.startTime>=n[v]){n[v]=h.endTime,h.order=v+s,v>a&&(a=v);break}return a},"getMaxIntersections"),tt,Yt=1e4,Ii=o(function(t,s,n,e){let a=ut().gantt;e.db.setDiagramId(s);let h=ut().securityLevel,v;h==="sandbox"&&(v=$t("#i"+s));let _=h==="sandbox"?$t(v.nodes()[0].contentDocument.body):$t("body"),F=h==="sandbox"?v.nodes()[0].contentDocument:document,D=F.getElementById(s);tt=D.parentElement.offsetWidth,tt===void 0&&(tt=1200),a.useWidth!==void 0&&(tt=a.useWidth);let w=e.db.getTasks(),P=w.filter(y=>!y.vert),A=[];for(let y of P)A.push(y.type);A=M(A);let N={},j=2*a.topPadding;if(e.db.getDisplayMode()==="compact"||a.displayMode==="compact"){let y={};for(let p of P)y[p.section]===void 0?y[p.section]=[p]:y[p.section].push(p);let g=0;for(let p of Object.keys(y)){let k=Li(y[p],g)+1;g+=k,j+=k*(a.barHeight+a.barGap),N[p]=k}}else{j+=P.length*(a.barHeight+a.barGap);for(let y of A)N[y]=P.filter(g=>g.type===y).length}D.setAttribute("viewBox","0 0 "+tt+" "+j);let H=_.select(`[id="${s}"]`),m=ve().domain([be(w,function(y){return y.startTime}),Te(w,function(y){return y.endTime})]).rangeRound([0,tt-a.leftPadding-a.rightPadding]);function S(y,g){let p=y.startTime,k=g.startTime,r=0;return p>k?r=1:p<k&&(r=-1),r}o(S,"taskCompare"),w.sort(S),W(w,tt,j),xe(H,j,tt,a.useMaxWidth),H.append("text").text(e.db.getDiagramTitle()).attr("x",tt/2).attr("y",a.titleTopMargin).attr("class","titleText");function W(y,g,p){let k=a.barHeight,r=k+a.barGap,u=a.topPadding,d=a.leftPadding,T=$e().domain([0,A.length]).range(["#00B9FA","#F95002"]).interpolate(we);V(r,u,d,g,p,y,e.db.getExcludes(),e.db.getIncludes()),E(d,u,g,p),O(y,r,u,d,k,T,g),b(r,u),f(d,u,g,p)}o(W,"makeGantt");function O(y,g,p,k,r,u,d){y.sort((l,$)=>l.vert===$.vert?0:l.vert?1:-1);let T=y.filter(l=>!l.vert),i=[...new Set(T.map(l=>l.order))].map(l=>T.find($=>$.order===l));H.append("g").selectAll("rect").data(i).enter().append("rect").attr("x",0).attr("y",function(l,$){return $=l.order,$*g+p-2}).attr("width",function(){return d-a.rightPadding/2}).attr("height",g).attr("class",function(l){for(let[$,Y]of A.entries())if(l.type===Y)return"section section"+$%a.numberSectionStyles;return"section section0"}).enter();let x=H.append("g").selectAll("rect").data(y).enter(),c=e.db.getLinks();if(x.append("rect").attr("id",function(l){return s+"-"+l.id}).attr("rx",3).attr("ry",3).attr("x",function(l){return l.milestone?m(l.startTime)+k+.5*(m(l.endTime)-m(l.startTime))-.5*r:m(l.startTime)+k}).attr("y",function(l,$){return $=l.order,l.vert?a.gridLineStartPadding:$*g+p}).attr("width",function(l){return l.milestone?r:l.vert?.08*r:m(l.renderEndTime||l.endTime)-m(l.startTime)}).attr("height",function(l){return l.vert?T.length*(a.barHeight+a.barGap)+a.barHeight*2:r}).attr("transform-origin",function(l,$){return $=l.order,(m(l.startTime)+k+.5*(m(l.endTime)-m(l.startTime))).toString()+"px "+($*g+p+.5*r).toString()+"px"}).attr("class",function(l){let $="task",Y="";l.classes.length>0&&(Y=l.classes.join(" "));let I=0;for(let[B,C]of A.entries())l.type===C&&(I=B%a.numberSectionStyles);let L="";return l.active?l.crit?L+=" activeCrit":L=" active":l.done?l.crit?L=" doneCrit":L=" done":l.crit&&(L+=" crit"),L.length===0&&(L=" task"),l.milestone&&(L=" milestone "+L),l.vert&&(L=" vert "+L),L+=I,L+=" "+Y,$+L}),x.append("text").attr("id",function(l){return s+"-"+l.id+"-text"}).text(function(l){return l.task}).attr("font-size",a.fontSize).attr("x",function(l){let $=m(l.startTime),Y=m(l.renderEndTime||l.endTime);if(l.milestone&&($+=.5*(m(l.endTime)-m(l.startTime))-.5*r,Y=$+r),l.vert)return m(l.startTime)+k;let I=this.getBBox().width;return I>Y-$?Y+I+1.5*a.leftPadding>d?$+k-5:Y+k+5:(Y-$)/2+$+k}).attr("y",function(l,$){return l.vert?a.gridLineStartPadding+T.length*(a.barHeight+a.barGap)+60:($=l.order,$*g+a.barHeight/2+(a.fontSize/2-2)+p)}).attr("text-height",r).attr("class",function(l){let $=m(l.startTime),Y=m(l.endTime);l.milestone&&(Y=$+r);let I=this.getBBox().width,L="";l.classes.length>0&&(L=l.classes.join(" "));let B=0;for(let[U,it]of A.entries())l.type===it&&(B=U%a.numberSectionStyles);let C="";return l.active&&(l.crit?C="activeCritText"+B:C="activeText"+B),l.done?l.crit?C=C+" doneCritText"+B:C=C+" doneText"+B:l.crit&&(C=C+" critText"+B),l.milestone&&(C+=" milestoneText"),l.vert&&(C+=" vertText"),I>Y-$?Y+I+1.5*a.leftPadding>d?L+" taskTextOutsideLeft taskTextOutside"+B+" "+C:L+" taskTextOutsideRight taskTextOutside"+B+" "+C+" width-"+I:L+" taskText taskText"+B+" "+C+" width-"+I}),ut().securityLevel==="sandbox"){let l;l=$t("#i"+s);let $=l.nodes()[0].contentDocument;x.filter(function(Y){return c.has(Y.id)}).each(function(Y){var I=$.querySelector("#"+CSS.escape(s+"-"+Y.id)),L=$.querySelector("#"+CSS.escape(s+"-"+Y.id+"-text"));let B=I.parentNode;var C=$.createElement("a");C.setAttribute("xlink:href",c.get(Y.id)),C.setAttribute("target","_top"),B.appendChild(C),C.appendChild(I),C.appendChild(L)})}}o(O,"drawRects");function V(y,g,p,k,r,u,d,T){if(d.length===0&&T.length===0)return;let i,x;for(let{startTime:I,endTime:L}of u)(i===void 0||I<i)&&(i=I),(x===void 0||L>x)&&(x=L);if(!i||!x)return;if((0,gt.default)(x).diff((0,gt.default)(i),"year")>5){et.warn("The difference between the min and max time is more than 5 years. This will cause performance issues. Skipping drawing exclude days.");return}let c=e.db.getDateFormat(),l=[],$=null,Y=(0,gt.default)(i);for(;Y.valueOf()<=x;)e.db.isInvalidDate(Y,c,d,T)?$?$.end=Y:$={start:Y,end:Y}:$&&(l.push($),$=null),Y=Y.add(1,"d");H.append("g").selectAll("rect").data(l).enter().append("rect").attr("id",I=>s+"-exclude-"+I.start.format("YYYY-MM-DD")).attr("x",I=>m(I.start.startOf("day"))+p).attr("y",a.gridLineStartPadding).attr("width",I=>m(I.end.endOf("day"))-m(I.start.startOf("day"))).attr("height",r-g-a.gridLineStartPadding).attr("transform-origin",function(I,L){return(m(I.start)+p+.5*(m(I.end)-m(I.start))).toString()+"px "+(L*y+.5*r).toString()+"px"}).attr("class","exclude-range")}o(V,"drawExcludeDays");function R(y,g,p,k){if(p<=0||y>g)return 1/0;let r=g-y,u=gt.default.duration({[k??"day"]:p}).asMilliseconds();return u<=0?1/0:Math.ceil(r/u)}o(R,"getEstimatedTickCount");function E(y,g,p,k){let r=e.db.getDateFormat(),u=e.db.getAxisFormat(),d;u?d=u:r==="D"?d="%d":d=a.axisFormat??"%Y-%m-%d";let T=_e(m).tickSize(-k+g+a.gridLineStartPadding).tickFormat(Bt(d)),i=/^([1-9]\d*)(millisecond|second|minute|hour|day|week|month)$/.exec(e.db.getTickInterval()||a.tickInterval);if(i!==null){let x=parseInt(i[1],10);if(isNaN(x)||x<=0)et.warn(`Invalid tick interval value: "${i[1]}". Skipping custom tick interval.`);else{let c=i[2],l=e.db.getWeekday()||a.weekday,$=m.domain(),Y=$[0],I=$[1],L=R(Y,I,x,c);if(L>Yt)et.warn(`The tick interval "${x}${c}" would generate ${L} ticks, which exceeds the maximum allowed (${Yt}). This may indicate an invalid date or time range. Skipping custom tick interval.`);else switch(c){case"millisecond":T.ticks(qt.every(x));break;case"second":T.ticks(Jt.every(x));break;case"minute":T.ticks(Ut.every(x));break;case"hour":T.ticks(Qt.every(x));break;case"day":T.ticks(Xt.every(x));break;case"week":T.ticks(ee[l].every(x));break;case"month":T.ticks(Zt.every(x));break}}}if(H.append("g").attr("class","grid").attr("transform","translate("+y+", "+(k-50)+")").call(T).selectAll("text").style("text-anchor","middle").attr("fill","#000").attr("stroke","none").attr("font-size",10).attr("dy","1em"),e.db.topAxisEnabled()||a.topAxis){let x=Ie(m).tickSize(-k+g+a.gridLineStartPadding).tickFormat(Bt(d));if(i!==null){let c=parseInt(i[1],10);if(isNaN(c)||c<=0)et.warn(`Invalid tick interval value: "${i[1]}". Skipping custom tick interval.`);else{let l=i[2],$=e.db.getWeekday()||a.weekday,Y=m.domain(),I=Y[0],L=Y[1];if(R(I,L,c,l)<=Yt)switch(l){case"millisecond":x.ticks(qt.every(c));break;case"second":x.ticks(Jt.every(c));break;case"minute":x.ticks(Ut.every(c));break;case"hour":x.ticks(Qt.every(c));break;case"day":x.ticks(Xt.every(c));break;case"week":x.ticks(ee[$].every(c));break;case"month":x.ticks(Zt.every(c));break}}}H.append("g").attr("class","grid").attr("transform","translate("+y+", "+g+")").call(x).selectAll("text").style("text-anchor","middle").attr("fill","#000").attr("stroke","none").attr("font-size",10)}}o(E,"makeGrid");function b(y,g){let p=0,k=Object.keys(N).map(r=>[r,N[r]]);H.append("g").selectAll("text").data(k).enter().append(function(r){let u=r[0].split(Oe.lineBreakRegex),d=-(u.length-1)/2,T=F.createElementNS("http://www.w3.org/2000/svg","text");T.setAttribute("dy",d+"em");for(let[i,x]of u.entries()){let c=F.createElementNS("http://www.w3.org/2000/svg","tspan");c.setAttribute("alignment-baseline","central"),c.setAttribute("x","10"),i>0&&c.setAttribute("dy","1em"),c.textContent=x,T.appendChild(c)}return T}).attr("x",10).attr("y",function(r,u){if(u>0)for(let d=0;d<u;d++)return p+=k[u-1][1],r[1]*y/2+p*y+g;else return r[1]*y/2+g}).attr("font-size",a.sectionFontSize).attr("class",function(r){for(let[u,d]of A.entries())if(r[0]===d)return"sectionTitle sectionTitle"+u%a.numberSectionStyles;return"sectionTitle"})}o(b,"vertLabels");function f(y,g,p,k){let r=e.db.getTodayMarker();if(r==="off")return;let u=H.append("g").attr("class","today"),d=new Date,T=u.append("line");T.attr("x1",m(d)+y).attr("x2",m(d)+y).attr("y1",a.titleTopMargin).attr("y2",k-a.titleTopMargin).attr("class","today"),r!==""&&T.attr("style",r.replace(/,/g,";"))}o(f,"drawToday");function M(y){let g={},p=[];for(let k=0,r=y.length;k<r;++k)Object.prototype.hasOwnProperty.call(g,y[k])||(g[y[k]]=!0,p.push(y[k]));return p}o(M,"checkUnique")},"draw"),Oi={setConf:Ei,draw:Ii},Ai=o(t=>`
  .mermaid-main-font {
        font-family: ${t.fontFamily};
  }

  .exclude-range {
    fill: ${t.excludeBkgColor};
  }

  .section {
    stroke: none;
    opacity: 0.2;
  }

  .section0 {
    fill: ${t.sectionBkgColor};
  }

  .section2 {
    fill: ${t.sectionBkgColor2};
  }

  .section1,
  .section3 {
    fill: ${t.altSectionBkgColor};
    opacity: 0.2;
  }

  .sectionTitle0 {
    fill: ${t.titleColor};
  }

  .sectionTitle1 {
    fill: ${t.titleColor};
  }

  .sectionTitle2 {
    fill: ${t.titleColor};
  }

  .sectionTitle3 {
    fill: ${t.titleColor};
  }

  .sectionTitle {
    text-anchor: start;
    font-family: ${t.fontFamily};
  }


  /* Grid and axis */

  .grid .tick {
    stroke: ${t.gridColor};
    opacity: 0.8;
    shape-rendering: crispEdges;
  }

  .grid .tick text {
    font-family: ${t.fontFamily};
    fill: ${t.textColor};
  }

  .grid path {
    stroke-width: 0;
  }


  /* Today line */

  .today {
    fill: none;
    stroke: ${t.todayLineColor};
    stroke-width: 2px;
  }


  /* Task styling */

  /* Default task */

  .task {
    stroke-width: 2;
  }

  .taskText {
    text-anchor: middle;
    font-family: ${t.fontFamily};
  }

  .taskTextOutsideRight {
    fill: ${t.taskTextDarkColor};
    text-anchor: start;
    font-family: ${t.fontFamily};
  }

  .taskTextOutsideLeft {
    fill: ${t.taskTextDarkColor};
    text-anchor: end;
  }


  /* Special case clickable */

  .task.clickable {
    cursor: pointer;
  }

  .taskText.clickable {
    cursor: pointer;
    fill: ${t.taskTextClickableColor} !important;
    font-weight: bold;
  }

  .taskTextOutsideLeft.clickable {
    cursor: pointer;
    fill: ${t.taskTextClickableColor} !important;
    font-weight: bold;
  }

  .taskTextOutsideRight.clickable {
    cursor: pointer;
    fill: ${t.taskTextClickableColor} !important;
    font-weight: bold;
  }


  /* Specific task settings for the sections*/

  .taskText0,
  .taskText1,
  .taskText2,
  .taskText3 {
    fill: ${t.taskTextColor};
  }

  .task0,
  .task1,
  .task2,
  .task3 {
    fill: ${t.taskBkgColor};
    stroke: ${t.taskBorderColor};
  }

  .taskTextOutside0,
  .taskTextOutside2
  {
    fill: ${t.taskTextOutsideColor};
  }

  .taskTextOutside1,
  .taskTextOutside3 {
    fill: ${t.taskTextOutsideColor};
  }


  /* Active task */

  .active0,
  .active1,
  .active2,
  .active3 {
    fill: ${t.activeTaskBkgColor};
    stroke: ${t.activeTaskBorderColor};
  }

  .activeText0,
  .activeText1,
  .activeText2,
  .activeText3 {
    fill: ${t.taskTextDarkColor} !important;
  }


  /* Completed task */

  .done0,
  .done1,
  .done2,
  .done3 {
    stroke: ${t.doneTaskBorderColor};
    fill: ${t.doneTaskBkgColor};
    stroke-width: 2;
  }

  .doneText0,
  .doneText1,
  .doneText2,
  .doneText3 {
    fill: ${t.taskTextDarkColor} !important;
  }

  /* Done task text displayed outside the bar sits against the diagram background,
     not against the done-task bar, so it must use the outside/contrast color. */
  .doneText0.taskTextOutsideLeft,
  .doneText0.taskTextOutsideRight,
  .doneText1.taskTextOutsideLeft,
  .doneText1.taskTextOutsideRight,
  .doneText2.taskTextOutsideLeft,
  .doneText2.taskTextOutsideRight,
  .doneText3.taskTextOutsideLeft,
  .doneText3.taskTextOutsideRight {
    fill: ${t.taskTextOutsideColor} !important;
  }


  /* Tasks on the critical line */

  .crit0,
  .crit1,
  .crit2,
  .crit3 {
    stroke: ${t.critBorderColor};
    fill: ${t.critBkgColor};
    stroke-width: 2;
  }

  .activeCrit0,
  .activeCrit1,
  .activeCrit2,
  .activeCrit3 {
    stroke: ${t.critBorderColor};
    fill: ${t.activeTaskBkgColor};
    stroke-width: 2;
  }

  .doneCrit0,
  .doneCrit1,
  .doneCrit2,
  .doneCrit3 {
    stroke: ${t.critBorderColor};
    fill: ${t.doneTaskBkgColor};
    stroke-width: 2;
    cursor: pointer;
    shape-rendering: crispEdges;
  }

  .milestone {
    transform: rotate(45deg) scale(0.8,0.8);
  }

  .milestoneText {
    font-style: italic;
  }
  .doneCritText0,
  .doneCritText1,
  .doneCritText2,
  .doneCritText3 {
    fill: ${t.taskTextDarkColor} !important;
  }

  /* Done-crit task text outside the bar — same reasoning as doneText above. */
  .doneCritText0.taskTextOutsideLeft,
  .doneCritText0.taskTextOutsideRight,
  .doneCritText1.taskTextOutsideLeft,
  .doneCritText1.taskTextOutsideRight,
  .doneCritText2.taskTextOutsideLeft,
  .doneCritText2.taskTextOutsideRight,
  .doneCritText3.taskTextOutsideLeft,
  .doneCritText3.taskTextOutsideRight {
    fill: ${t.taskTextOutsideColor} !important;
  }

  .vert {
    stroke: ${t.vertLineColor};
  }

  .vertText {
    font-size: 15px;
    text-anchor: middle;
    fill: ${t.vertLineColor} !important;
  }

  .activeCritText0,
  .activeCritText1,
  .activeCritText2,
  .activeCritText3 {
    fill: ${t.taskTextDarkColor} !important;
  }

  .titleText {
    text-anchor: middle;
    font-size: 18px;
    fill: ${t.titleColor||t.textColor};
    font-family: ${t.fontFamily};
  }
`,"getStyles"),Wi=Ai,Ni={parser:ze,db:Mi,renderer:Oi,styles:Wi};export{Ni as diagram};
