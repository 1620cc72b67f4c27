import{m as ee}from"./chunk-CG7VIXT6-OsM5dw6Y.js";import{y as se}from"./chunk-AEP47HME-BsFQxKmu.js";import{m as p,p as b,D as N,F as ie,B as re,d as ae,Y as oe,V as ne,K as le,X as ce,Z as he,J as de,au as ue,a as z,l as pe,i as $t,$ as ye,S as fe,n as ge,r as me,u as Se}from"./mermaid.esm.min-BGuHAcxY.js";import{T as ke}from"./chunk-C7QCCU7L-D1AFP0am.js";import"../index-D-p2-EEe.js";var Ct=(function(){var t=p(function(R,n,o,m){for(o=o||{},m=R.length;m--;o[R[m]]=n);return o},"o"),e=[1,2],s=[1,3],a=[1,4],r=[2,4],h=[1,9],l=[1,11],y=[1,16],d=[1,17],S=[1,18],f=[1,19],E=[1,33],D=[1,20],Y=[1,21],A=[1,22],u=[1,23],w=[1,24],x=[1,26],F=[1,27],$=[1,28],O=[1,29],G=[1,30],st=[1,31],it=[1,32],rt=[1,35],at=[1,36],ot=[1,37],nt=[1,38],K=[1,34],g=[1,4,5,16,17,19,21,22,24,25,26,27,28,29,33,35,37,38,41,45,48,51,52,53,54,57],lt=[1,4,5,14,15,16,17,19,21,22,24,25,26,27,28,29,33,35,37,38,39,40,41,45,48,51,52,53,54,57],Lt=[4,5,16,17,19,21,22,24,25,26,27,28,29,33,35,37,38,41,45,48,51,52,53,54,57],St={trace:p(function(){},"trace"),yy:{},symbols_:{error:2,start:3,SPACE:4,NL:5,SD:6,document:7,line:8,statement:9,classDefStatement:10,styleStatement:11,cssClassStatement:12,idStatement:13,DESCR:14,"-->":15,HIDE_EMPTY:16,scale:17,WIDTH:18,COMPOSIT_STATE:19,STRUCT_START:20,STRUCT_STOP:21,STATE_DESCR:22,AS:23,ID:24,FORK:25,JOIN:26,CHOICE:27,CONCURRENT:28,note:29,notePosition:30,NOTE_TEXT:31,direction:32,acc_title:33,acc_title_value:34,acc_descr:35,acc_descr_value:36,acc_descr_multiline_value:37,CLICK:38,STRING:39,HREF:40,classDef:41,CLASSDEF_ID:42,CLASSDEF_STYLEOPTS:43,DEFAULT:44,style:45,STYLE_IDS:46,STYLEDEF_STYLEOPTS:47,class:48,CLASSENTITY_IDS:49,STYLECLASS:50,direction_tb:51,direction_bt:52,direction_rl:53,direction_lr:54,eol:55,";":56,EDGE_STATE:57,STYLE_SEPARATOR:58,left_of:59,right_of:60,$accept:0,$end:1},terminals_:{2:"error",4:"SPACE",5:"NL",6:"SD",14:"DESCR",15:"-->",16:"HIDE_EMPTY",17:"scale",18:"WIDTH",19:"COMPOSIT_STATE",20:"STRUCT_START",21:"STRUCT_STOP",22:"STATE_DESCR",23:"AS",24:"ID",25:"FORK",26:"JOIN",27:"CHOICE",28:"CONCURRENT",29:"note",31:"NOTE_TEXT",33:"acc_title",34:"acc_title_value",35:"acc_descr",36:"acc_descr_value",37:"acc_descr_multiline_value",38:"CLICK",39:"STRING",40:"HREF",41:"classDef",42:"CLASSDEF_ID",43:"CLASSDEF_STYLEOPTS",44:"DEFAULT",45:"style",46:"STYLE_IDS",47:"STYLEDEF_STYLEOPTS",48:"class",49:"CLASSENTITY_IDS",50:"STYLECLASS",51:"direction_tb",52:"direction_bt",53:"direction_rl",54:"direction_lr",56:";",57:"EDGE_STATE",58:"STYLE_SEPARATOR",59:"left_of",60:"right_of"},productions_:[0,[3,2],[3,2],[3,2],[7,0],[7,2],[8,2],[8,1],[8,1],[9,1],[9,1],[9,1],[9,1],[9,2],[9,3],[9,4],[9,1],[9,2],[9,1],[9,4],[9,3],[9,6],[9,1],[9,1],[9,1],[9,1],[9,4],[9,4],[9,1],[9,2],[9,2],[9,1],[9,5],[9,5],[10,3],[10,3],[11,3],[12,3],[32,1],[32,1],[32,1],[32,1],[55,1],[55,1],[13,1],[13,1],[13,3],[13,3],[30,1],[30,1]],performAction:p(function(R,n,o,m,k,i,T){var c=i.length-1;switch(k){case 3:return m.setRootDoc(i[c]),i[c];case 4:this.$=[];break;case 5:i[c]!="nl"&&(i[c-1].push(i[c]),this.$=i[c-1]);break;case 6:case 7:this.$=i[c];break;case 8:this.$="nl";break;case 12:this.$=i[c];break;case 13:let dt=i[c-1];dt.description=m.trimColon(i[c]),this.$=dt;break;case 14:this.$={stmt:"relation",state1:i[c-2],state2:i[c]};break;case 15:let ut=m.trimColon(i[c]);this.$={stmt:"relation",state1:i[c-3],state2:i[c-1],description:ut};break;case 19:this.$={stmt:"state",id:i[c-3],type:"default",description:"",doc:i[c-1]};break;case 20:var B=i[c],X=i[c-2].trim();if(i[c].match(":")){var ht=i[c].split(":");B=ht[0],X=[X,ht[1]]}this.$={stmt:"state",id:B,type:"default",description:X};break;case 21:this.$={stmt:"state",id:i[c-3],type:"default",description:i[c-5],doc:i[c-1]};break;case 22:this.$={stmt:"state",id:i[c],type:"fork"};break;case 23:this.$={stmt:"state",id:i[c],type:"join"};break;case 24:this.$={stmt:"state",id:i[c],type:"choice"};break;case 25:this.$={stmt:"state",id:m.getDividerId(),type:"divider"};break;case 26:this.$={stmt:"state",id:i[c-1].trim(),note:{position:i[c-2].trim(),text:i[c].trim()}};break;case 29:this.$=i[c].trim(),m.setAccTitle(this.$);break;case 30:case 31:this.$=i[c].trim(),m.setAccDescription(this.$);break;case 32:this.$={stmt:"click",id:i[c-3],url:i[c-2],tooltip:i[c-1]};break;case 33:this.$={stmt:"click",id:i[c-3],url:i[c-1],tooltip:""};break;case 34:case 35:this.$={stmt:"classDef",id:i[c-1].trim(),classes:i[c].trim()};break;case 36:this.$={stmt:"style",id:i[c-1].trim(),styleClass:i[c].trim()};break;case 37:this.$={stmt:"applyClass",id:i[c-1].trim(),styleClass:i[c].trim()};break;case 38:m.setDirection("TB"),this.$={stmt:"dir",value:"TB"};break;case 39:m.setDirection("BT"),this.$={stmt:"dir",value:"BT"};break;case 40:m.setDirection("RL"),this.$={stmt:"dir",value:"RL"};break;case 41:m.setDirection("LR"),this.$={stmt:"dir",value:"LR"};break;case 44:case 45:this.$={stmt:"state",id:i[c].trim(),type:"default",description:""};break;case 46:this.$={stmt:"state",id:i[c-2].trim(),classes:[i[c].trim()],type:"default",description:""};break;case 47:this.$={stmt:"state",id:i[c-2].trim(),classes:[i[c].trim()],type:"default",description:""};break}},"anonymous"),table:[{3:1,4:e,5:s,6:a},{1:[3]},{3:5,4:e,5:s,6:a},{3:6,4:e,5:s,6:a},t([1,4,5,16,17,19,22,24,25,26,27,28,29,33,35,37,38,41,45,48,51,52,53,54,57],r,{7:7}),{1:[2,1]},{1:[2,2]},{1:[2,3],4:h,5:l,8:8,9:10,10:12,11:13,12:14,13:15,16:y,17:d,19:S,22:f,24:E,25:D,26:Y,27:A,28:u,29:w,32:25,33:x,35:F,37:$,38:O,41:G,45:st,48:it,51:rt,52:at,53:ot,54:nt,57:K},t(g,[2,5]),{9:39,10:12,11:13,12:14,13:15,16:y,17:d,19:S,22:f,24:E,25:D,26:Y,27:A,28:u,29:w,32:25,33:x,35:F,37:$,38:O,41:G,45:st,48:it,51:rt,52:at,53:ot,54:nt,57:K},t(g,[2,7]),t(g,[2,8]),t(g,[2,9]),t(g,[2,10]),t(g,[2,11]),t(g,[2,12],{14:[1,40],15:[1,41]}),t(g,[2,16]),{18:[1,42]},t(g,[2,18],{20:[1,43]}),{23:[1,44]},t(g,[2,22]),t(g,[2,23]),t(g,[2,24]),t(g,[2,25]),{30:45,31:[1,46],59:[1,47],60:[1,48]},t(g,[2,28]),{34:[1,49]},{36:[1,50]},t(g,[2,31]),{13:51,24:E,57:K},{42:[1,52],44:[1,53]},{46:[1,54]},{49:[1,55]},t(lt,[2,44],{58:[1,56]}),t(lt,[2,45],{58:[1,57]}),t(g,[2,38]),t(g,[2,39]),t(g,[2,40]),t(g,[2,41]),t(g,[2,6]),t(g,[2,13]),{13:58,24:E,57:K},t(g,[2,17]),t(Lt,r,{7:59}),{24:[1,60]},{24:[1,61]},{23:[1,62]},{24:[2,48]},{24:[2,49]},t(g,[2,29]),t(g,[2,30]),{39:[1,63],40:[1,64]},{43:[1,65]},{43:[1,66]},{47:[1,67]},{50:[1,68]},{24:[1,69]},{24:[1,70]},t(g,[2,14],{14:[1,71]}),{4:h,5:l,8:8,9:10,10:12,11:13,12:14,13:15,16:y,17:d,19:S,21:[1,72],22:f,24:E,25:D,26:Y,27:A,28:u,29:w,32:25,33:x,35:F,37:$,38:O,41:G,45:st,48:it,51:rt,52:at,53:ot,54:nt,57:K},t(g,[2,20],{20:[1,73]}),{31:[1,74]},{24:[1,75]},{39:[1,76]},{39:[1,77]},t(g,[2,34]),t(g,[2,35]),t(g,[2,36]),t(g,[2,37]),t(lt,[2,46]),t(lt,[2,47]),t(g,[2,15]),t(g,[2,19]),t(Lt,r,{7:78}),t(g,[2,26]),t(g,[2,27]),{5:[1,79]},{5:[1,80]},{4:h,5:l,8:8,9:10,10:12,11:13,12:14,13:15,16:y,17:d,19:S,21:[1,81],22:f,24:E,25:D,26:Y,27:A,28:u,29:w,32:25,33:x,35:F,37:$,38:O,41:G,45:st,48:it,51:rt,52:at,53:ot,54:nt,57:K},t(g,[2,32]),t(g,[2,33]),t(g,[2,21])],defaultActions:{5:[2,1],6:[2,2],47:[2,48],48:[2,49]},parseError:p(function(R,n){if(n.recoverable)this.trace(R);else{var o=new Error(R);throw o.hash=n,o}},"parseError"),parse:p(function(R){var n=this,o=[0],m=[],k=[null],i=[],T=this.table,c="",B=0,X=0,ht=0,dt=2,ut=1,Zt=i.slice.call(arguments,1),_=Object.create(this.lexer),j={yy:{}};for(var kt in this.yy)Object.prototype.hasOwnProperty.call(this.yy,kt)&&(j.yy[kt]=this.yy[kt]);_.setInput(R,j.yy),j.yy.lexer=_,j.yy.parser=this,typeof _.yylloc>"u"&&(_.yylloc={});var bt=_.yylloc;i.push(bt);var Qt=_.options&&_.options.ranges;typeof j.yy.parseError=="function"?this.parseError=j.yy.parseError:this.parseError=Object.getPrototypeOf(this).parseError;function te(I){o.length=o.length-2*I,k.length=k.length-I,i.length=i.length-I}p(te,"popStack");function At(){var I;return I=m.pop()||_.lex()||ut,typeof I!="number"&&(I instanceof Array&&(m=I,I=m.pop()),I=n.symbols_[I]||I),I}p(At,"lex");for(var C,Tt,M,L,qe,_t,V={},pt,P,Nt,yt;;){if(M=o[o.length-1],this.defaultActions[M]?L=this.defaultActions[M]:((C===null||typeof C>"u")&&(C=At()),L=T[M]&&T[M][C]),typeof L>"u"||!L.length||!L[0]){var Et="";yt=[];for(pt in T[M])this.terminals_[pt]&&pt>dt&&yt.push("'"+this.terminals_[pt]+"'");_.showPosition?Et="Parse error on line "+(B+1)+`:
`+_.showPosition()+`
Expecting `+yt.join(", ")+", got '"+(this.terminals_[C]||C)+"'":Et="Parse error on line "+(B+1)+": Unexpected "+(C==ut?"end of input":"'"+(this.terminals_[C]||C)+"'"),this.parseError(Et,{text:_.match,token:this.terminals_[C]||C,line:_.yylineno,loc:bt,expected:yt})}if(L[0]instanceof Array&&L.length>1)throw new Error("Parse Error: multiple actions possible at state: "+M+", token: "+C);switch(L[0]){case 1:o.push(C),k.push(_.yytext),i.push(_.yylloc),o.push(L[1]),C=null,Tt?(C=Tt,Tt=null):(X=_.yyleng,c=_.yytext,B=_.yylineno,bt=_.yylloc,ht>0);break;case 2:if(P=this.productions_[L[1]][1],V.$=k[k.length-P],V._$={first_line:i[i.length-(P||1)].first_line,last_line:i[i.length-1].last_line,first_column:i[i.length-(P||1)].first_column,last_column:i[i.length-1].last_column},Qt&&(V._$.range=[i[i.length-(P||1)].range[0],i[i.length-1].range[1]]),_t=this.performAction.apply(V,[c,X,B,j.yy,L[1],k,i].concat(Zt)),typeof _t<"u")return _t;P&&(o=o.slice(0,-1*P*2),k=k.slice(0,-1*P),i=i.slice(0,-1*P)),o.push(this.productions_[L[1]][0]),k.push(V.$),i.push(V._$),Nt=T[o[o.length-2]][o[o.length-1]],o.push(Nt);break;case 3:return!0}}return!0},"parse")},Ht=(function(){var R={EOF:1,parseError:p(function(n,o){if(this.yy.parser)this.yy.parser.parseError(n,o);else throw new Error(n)},"parseError"),setInput:p(function(n,o){return this.yy=o||this.yy||{},this._input=n,this._more=this._backtrack=this.done=!1,this.yylineno=this.yyleng=0,this.yytext=this.matched=this.match="",this.conditionStack=["INITIAL"],this.yylloc={first_line:1,first_column:0,last_line:1,last_column:0},this.options.ranges&&(this.yylloc.range=[0,0]),this.offset=0,this},"setInput"),input:p(function(){var n=this._input[0];this.yytext+=n,this.yyleng++,this.offset++,this.match+=n,this.matched+=n;var o=n.match(/(?:\r\n?|\n).*/g);return o?(this.yylineno++,this.yylloc.last_line++):this.yylloc.last_column++,this.options.ranges&&this.yylloc.range[1]++,this._input=this._input.slice(1),n},"input"),unput:p(function(n){var o=n.length,m=n.split(/(?:\r\n?|\n)/g);this._input=n+this._input,this.yytext=this.yytext.substr(0,this.yytext.length-o),this.offset-=o;var k=this.match.split(/(?:\r\n?|\n)/g);this.match=this.match.substr(0,this.match.length-1),this.matched=this.matched.substr(0,this.matched.length-1),m.length-1&&(this.yylineno-=m.length-1);var i=this.yylloc.range;return this.yylloc={first_line:this.yylloc.first_line,last_line:this.yylineno+1,first_column:this.yylloc.first_column,last_column:m?(m.length===k.length?this.yylloc.first_column:0)+k[k.length-m.length].length-m[0].length:this.yylloc.first_column-o},this.options.ranges&&(this.yylloc.range=[i[0],i[0]+this.yyleng-o]),this.yyleng=this.yytext.length,this},"unput"),more:p(function(){return this._more=!0,this},"more"),reject:p(function(){if(this.options.backtrack_lexer)this._backtrack=!0;else return this.parseError("Lexical error on line "+(this.yylineno+1)+`. You can only invoke reject() in the lexer when the lexer is of the backtracking persuasion (options.backtrack_lexer = true).
`+this.showPosition(),{text:"",token:null,line:this.yylineno});return this},"reject"),less:p(function(n){this.unput(this.match.slice(n))},"less"),pastInput:p(function(){var n=this.matched.substr(0,this.matched.length-this.match.length);return(n.length>20?"...":"")+n.substr(-20).replace(/\n/g,"")},"pastInput"),upcomingInput:p(function(){var n=this.match;return n.length<20&&(n+=this._input.substr(0,20-n.length)),(n.substr(0,20)+(n.length>20?"...":"")).replace(/\n/g,"")},"upcomingInput"),showPosition:p(function(){var n=this.pastInput(),o=new Array(n.length+1).join("-");return n+this.upcomingInput()+`
`+o+"^"},"showPosition"),test_match:p(function(n,o){var m,k,i;if(this.options.backtrack_lexer&&(i={yylineno:this.yylineno,yylloc:{first_line:this.yylloc.first_line,last_line:this.last_line,first_column:this.yylloc.first_column,last_column:this.yylloc.last_column},yytext:this.yytext,match:this.match,matches:this.matches,matched:this.matched,yyleng:this.yyleng,offset:this.offset,_more:this._more,_input:this._input,yy:this.yy,conditionStack:this.conditionStack.slice(0),done:this.done},this.options.ranges&&(i.yylloc.range=this.yylloc.range.slice(0))),k=n[0].match(/(?:\r\n?|\n).*/g),k&&(this.yylineno+=k.length),this.yylloc={first_line:this.yylloc.last_line,last_line:this.yylineno+1,first_column:this.yylloc.last_column,last_column:k?k[k.length-1].length-k[k.length-1].match(/\r?\n?/)[0].length:this.yylloc.last_column+n[0].length},this.yytext+=n[0],this.match+=n[0],this.matches=n,this.yyleng=this.yytext.length,this.options.ranges&&(this.yylloc.range=[this.offset,this.offset+=this.yyleng]),this._more=!1,this._backtrack=!1,this._input=this._input.slice(n[0].length),this.matched+=n[0],m=this.performAction.call(this,this.yy,this,o,this.conditionStack[this.conditionStack.length-1]),this.done&&this._input&&(this.done=!1),m)return m;if(this._backtrack){for(var T in i)this[T]=i[T];return!1}return!1},"test_match"),next:p(function(){if(this.done)return this.EOF;this._input||(this.done=!0);var n,o,m,k;this._more||(this.yytext="",this.match="");for(var i=this._currentRules(),T=0;T<i.length;T++)if(m=this._input.match(this.rules[i[T]]),m&&(!o||m[0].length>o[0].length)){if(o=m,k=T,this.options.backtrack_lexer){if(n=this.test_match(m,i[T]),n!==!1)return n;if(this._backtrack){o=!1;continue}else return!1}else if(!this.options.flex)break}return o?(n=this.test_match(o,i[k]),n!==!1?n:!1):this._input===""?this.EOF:this.parseError("Lexical error on line "+(this.yylineno+1)+`. Unrecognized text.
`+this.showPosition(),{text:"",token:null,line:this.yylineno})},"next"),lex:p(function(){var n=this.next();return n||this.lex()},"lex"),begin:p(function(n){this.conditionStack.push(n)},"begin"),popState:p(function(){var n=this.conditionStack.length-1;return n>0?this.conditionStack.pop():this.conditionStack[0]},"popState"),_currentRules:p(function(){return this.conditionStack.length&&this.conditionStack[this.conditionStack.length-1]?this.conditions[this.conditionStack[this.conditionStack.length-1]].rules:this.conditions.INITIAL.rules},"_currentRules"),topState:p(function(n){return n=this.conditionStack.length-1-Math.abs(n||0),n>=0?this.conditionStack[n]:"INITIAL"},"topState"),pushState:p(function(n){this.begin(n)},"pushState"),stateStackSize:p(function(){return this.conditionStack.length},"stateStackSize"),options:{"case-insensitive":!0},performAction:p(function(n,o,m,k){function i(){let T=o.yytext.indexOf("%%");if(T===0)return!1;if(T>0){let c=o.yytext.slice(0,T),B=o.yytext.slice(T);B&&n.lexer.unput(B),o.yytext=c}return!0}switch(p(i,"processId"),m){case 0:return 38;case 1:return 40;case 2:return 39;case 3:return 44;case 4:return 51;case 5:return 52;case 6:return 53;case 7:return 54;case 8:return 5;case 9:break;case 10:break;case 11:break;case 12:break;case 13:return this.pushState("SCALE"),17;case 14:return 18;case 15:this.popState();break;case 16:return this.begin("acc_title"),33;case 17:return this.popState(),"acc_title_value";case 18:return this.begin("acc_descr"),35;case 19:return this.popState(),"acc_descr_value";case 20:this.begin("acc_descr_multiline");break;case 21:this.popState();break;case 22:return"acc_descr_multiline_value";case 23:return this.pushState("CLASSDEF"),41;case 24:return this.popState(),this.pushState("CLASSDEFID"),"DEFAULT_CLASSDEF_ID";case 25:return this.popState(),this.pushState("CLASSDEFID"),42;case 26:return this.popState(),43;case 27:return this.pushState("CLASS"),48;case 28:return this.popState(),this.pushState("CLASS_STYLE"),49;case 29:return this.popState(),50;case 30:return this.pushState("STYLE"),45;case 31:return this.popState(),this.pushState("STYLEDEF_STYLES"),46;case 32:return this.popState(),47;case 33:return this.pushState("SCALE"),17;case 34:return 18;case 35:this.popState();break;case 36:this.pushState("STATE");break;case 37:return this.popState(),o.yytext=o.yytext.slice(0,-8).trim(),25;case 38:return this.popState(),o.yytext=o.yytext.slice(0,-8).trim(),26;case 39:return this.popState(),o.yytext=o.yytext.slice(0,-10).trim(),27;case 40:return this.popState(),o.yytext=o.yytext.slice(0,-8).trim(),25;case 41:return this.popState(),o.yytext=o.yytext.slice(0,-8).trim(),26;case 42:return this.popState(),o.yytext=o.yytext.slice(0,-10).trim(),27;case 43:return 51;case 44:return 52;case 45:return 53;case 46:return 54;case 47:this.pushState("STATE_STRING");break;case 48:return this.pushState("STATE_ID"),"AS";case 49:return i()?(this.popState(),"ID"):void 0;case 50:this.popState();break;case 51:return"STATE_DESCR";case 52:throw new Error('Error: State name must be a single word. Found: "'+o.yytext.trim()+'"');case 53:return 19;case 54:this.popState();break;case 55:return this.popState(),this.pushState("struct"),20;case 56:return this.popState(),21;case 57:break;case 58:return this.begin("NOTE"),29;case 59:return this.popState(),this.pushState("NOTE_ID"),59;case 60:return this.popState(),this.pushState("NOTE_ID"),60;case 61:this.popState(),this.pushState("FLOATING_NOTE");break;case 62:return this.popState(),this.pushState("FLOATING_NOTE_ID"),"AS";case 63:break;case 64:return"NOTE_TEXT";case 65:return i()?(this.popState(),"ID"):void 0;case 66:return i()?(this.popState(),this.pushState("NOTE_TEXT"),24):void 0;case 67:return this.popState(),o.yytext=o.yytext.substr(2).trim(),31;case 68:return this.popState(),o.yytext=o.yytext.slice(0,-8).trim(),31;case 69:return 6;case 70:return 6;case 71:return 16;case 72:return 57;case 73:return i()?24:void 0;case 74:return o.yytext=o.yytext.trim(),14;case 75:return 15;case 76:return 28;case 77:return 58;case 78:return 5;case 79:return"INVALID"}},"anonymous"),rules:[/^(?:click\b)/i,/^(?:href\b)/i,/^(?:"[^"]*")/i,/^(?:default\b)/i,/^(?:.*direction\s+TB[^\n]*)/i,/^(?:.*direction\s+BT[^\n]*)/i,/^(?:.*direction\s+RL[^\n]*)/i,/^(?:.*direction\s+LR[^\n]*)/i,/^(?:[\n]+)/i,/^(?:[\s]+)/i,/^(?:((?!\n)\s)+)/i,/^(?:#[^\n]*)/i,/^(?:%%(?!\{)[^\n]*)/i,/^(?:scale\s+)/i,/^(?:\d+)/i,/^(?:\s+width\b)/i,/^(?:accTitle\s*:\s*)/i,/^(?:(?!\n||)*[^\n]*)/i,/^(?:accDescr\s*:\s*)/i,/^(?:(?!\n||)*[^\n]*)/i,/^(?:accDescr\s*\{\s*)/i,/^(?:[\}])/i,/^(?:[^\}]*)/i,/^(?:classDef\s+)/i,/^(?:DEFAULT\s+)/i,/^(?:\w+\s+)/i,/^(?:[^\n]*)/i,/^(?:class\s+)/i,/^(?:(\w+)+((,\s*\w+)*))/i,/^(?:[^\n]*)/i,/^(?:style\s+)/i,/^(?:[\w,]+\s+)/i,/^(?:[^\n]*)/i,/^(?:scale\s+)/i,/^(?:\d+)/i,/^(?:\s+width\b)/i,/^(?:state\s+)/i,/^(?:.*<<fork>>)/i,/^(?:.*<<join>>)/i,/^(?:.*<<choice>>)/i,/^(?:.*\[\[fork\]\])/i,/^(?:.*\[\[join\]\])/i,/^(?:.*\[\[choice\]\])/i,/^(?:.*direction\s+TB[^\n]*)/i,/^(?:.*direction\s+BT[^\n]*)/i,/^(?:.*direction\s+RL[^\n]*)/i,/^(?:.*direction\s+LR[^\n]*)/i,/^(?:["])/i,/^(?:\s*as\s+)/i,/^(?:[^\n\{]*)/i,/^(?:["])/i,/^(?:[^"]*)/i,/^(?:\w+\s+\w+.*?\{)/i,/^(?:[^\n\s\{]+)/i,/^(?:\n)/i,/^(?:\{)/i,/^(?:\})/i,/^(?:[\n])/i,/^(?:note\s+)/i,/^(?:left of\b)/i,/^(?:right of\b)/i,/^(?:")/i,/^(?:\s*as\s*)/i,/^(?:["])/i,/^(?:[^"]*)/i,/^(?:[^\n]*)/i,/^(?:\s*[^:\n\s\-]+)/i,/^(?:\s*:[^:\n;]+)/i,/^(?:[\s\S]*?\n\s*end note\b)/i,/^(?:stateDiagram\s+)/i,/^(?:stateDiagram-v2\s+)/i,/^(?:hide empty description\b)/i,/^(?:\[\*\])/i,/^(?:[^:\n\s\-\{]+)/i,/^(?:\s*:(?:[^:\n;]|:[^:\n;])+)/i,/^(?:-->)/i,/^(?:--)/i,/^(?::::)/i,/^(?:$)/i,/^(?:.)/i],conditions:{LINE:{rules:[10,11,12],inclusive:!1},struct:{rules:[10,11,12,23,27,30,36,43,44,45,46,56,57,58,72,73,74,75,76,77],inclusive:!1},FLOATING_NOTE_ID:{rules:[65],inclusive:!1},FLOATING_NOTE:{rules:[62,63,64],inclusive:!1},NOTE_TEXT:{rules:[67,68],inclusive:!1},NOTE_ID:{rules:[66],inclusive:!1},NOTE:{rules:[59,60,61],inclusive:!1},STYLEDEF_STYLEOPTS:{rules:[],inclusive:!1},STYLEDEF_STYLES:{rules:[32],inclusive:!1},STYLE_IDS:{rules:[],inclusive:!1},STYLE:{rules:[31],inclusive:!1},CLASS_STYLE:{rules:[29],inclusive:!1},CLASS:{rules:[28],inclusive:!1},CLASSDEFID:{rules:[26],inclusive:!1},CLASSDEF:{rules:[24,25],inclusive:!1},acc_descr_multiline:{rules:[21,22],inclusive:!1},acc_descr:{rules:[19],inclusive:!1},acc_title:{rules:[17],inclusive:!1},SCALE:{rules:[14,15,34,35],inclusive:!1},ALIAS:{rules:[],inclusive:!1},STATE_ID:{rules:[49],inclusive:!1},STATE_STRING:{rules:[50,51],inclusive:!1},FORK_STATE:{rules:[],inclusive:!1},STATE:{rules:[10,11,12,37,38,39,40,41,42,47,48,52,53,54,55],inclusive:!1},ID:{rules:[10,11,12],inclusive:!1},INITIAL:{rules:[0,1,2,3,4,5,6,7,8,9,11,12,13,16,18,20,23,27,30,33,36,55,58,69,70,71,72,73,74,75,77,78,79],inclusive:!0}}};return R})();St.lexer=Ht;function ct(){this.yy={}}return p(ct,"Parser"),ct.prototype=St,St.Parser=ct,new ct})();Ct.parser=Ct;var be=Ct,q="state",J="root",vt="relation",Te="classDef",_e="style",Ee="applyClass",tt="default",Yt="divider",Gt="fill:none",Wt="fill: #333",jt="markdown",Mt="normal",Dt="rect",xt="rectWithTitle",$e="stateStart",De="stateEnd",wt="divider",Ot="roundedWithTitle",xe="note",Ce="noteGroup",et="statediagram",ve="state",we=`${et}-${ve}`,zt="transition",Ie="note",Le="note-edge",Ae=`${zt} ${Le}`,Ne=`${et}-${Ie}`,Oe="cluster",Re=`${et}-${Oe}`,Be="cluster-alt",Fe=`${et}-${Be}`,Ut="parent",Kt="note",Pe="state",It="----",Ye=`${It}${Kt}`,Rt=`${It}${Ut}`,gt=new Map,W=0,Xt=0,H=new Map,Ge=p((t,e,s,a)=>{if(t===wt&&s?.id!==void 0&&H.has(s.id)){let l=H.get(s.id);return H.set(e,l),l}let r=Xt++,h=a?void 0:r;return H.set(e,h),h},"colorSlotFor");function mt(t="",e=0,s="",a=It){let r=s!==null&&s.length>0?`${a}${s}`:"";return`${Pe}-${t}${r}-${e}`}p(mt,"stateDomId");var We=p((t,e,s,a,r,h,l,y)=>{b.trace("items",e),e.forEach(d=>{switch(d.stmt){case q:Q(t,d,s,a,r,h,l,y);break;case tt:Q(t,d,s,a,r,h,l,y);break;case vt:{Q(t,d.state1,s,a,r,h,l,y),Q(t,d.state2,s,a,r,h,l,y);let S=l==="neo",f={id:"edge"+W,start:d.state1.id,end:d.state2.id,arrowhead:"normal",arrowTypeEnd:S?"arrow_barb_neo":"arrow_barb",style:Gt,labelStyle:"",label:z.sanitizeText(d.description??"",N()),arrowheadStyle:Wt,labelpos:"c",labelType:jt,thickness:Mt,classes:zt,look:l};r.push(f),W++}break}})},"setupDoc"),Bt=p((t,e="TB")=>{let s=e;if(t.doc)for(let a of t.doc)a.stmt==="dir"&&(s=a.value);return s},"getDir");function Z(t,e,s){if(!e.id||e.id==="</join></fork>"||e.id==="</choice>")return;e.cssClasses&&(Array.isArray(e.cssCompiledStyles)||(e.cssCompiledStyles=[]),e.cssClasses.split(" ").forEach(r=>{let h=s.get(r);h&&(e.cssCompiledStyles=[...e.cssCompiledStyles??[],...h.styles])}));let a=t.find(r=>r.id===e.id);a?Object.assign(a,e):t.push(e)}p(Z,"insertOrUpdateNode");function Vt(t){return t?.classes?.join(" ")??""}p(Vt,"getClassesFromDbInfo");function Jt(t){return t?.styles??[]}p(Jt,"getStylesFromDbInfo");var Q=p((t,e,s,a,r,h,l,y)=>{let d=e.id,S=s.get(d),f=Vt(S),E=Jt(S),D=N(),Y=f.trim()!==""||E.length>0;if(b.info("dataFetcher parsedItem",e,S,E),d!=="root"){let A=Dt;e.start===!0?A=$e:e.start===!1&&(A=De),e.type!==tt&&(A=e.type),gt.get(d)||gt.set(d,{id:d,shape:A,description:z.sanitizeText(d,D),cssClasses:`${f} ${we}`,cssStyles:E});let u=gt.get(d);e.description&&(Array.isArray(u.description)?(u.shape=xt,u.description.push(e.description)):u.description?.length&&u.description.length>0?(u.shape=xt,u.description===d?u.description=[e.description]:u.description=[u.description,e.description]):(u.shape=Dt,u.description=e.description),u.description=z.sanitizeTextOrArray(u.description,D)),u.description?.length===1&&u.shape===xt&&(u.type==="group"?u.shape=Ot:u.shape=Dt),!u.type&&e.doc&&(b.info("Setting cluster for XCX",d,Bt(e)),u.type="group",u.isGroup=!0,u.dir=Bt(e),u.shape=e.type===Yt?wt:Ot,u.colorIndex=Ge(u.shape,d,t,Y),u.cssClasses=`${u.cssClasses} ${Re} ${h?Fe:""}`);let w={labelStyle:"",shape:u.shape,label:u.description,cssClasses:u.cssClasses,cssCompiledStyles:[],cssStyles:u.cssStyles,id:d,dir:u.dir,domId:mt(d,W),type:u.type,isGroup:u.type==="group",colorIndex:u.colorIndex,padding:8,rx:10,ry:10,look:l,labelType:"markdown"};if(w.shape===wt&&(w.label=""),t&&t.id!=="root"&&(b.trace("Setting node ",d," to be child of its parent ",t.id),w.parentId=t.id),w.centerLabel=!0,e.note){let x={labelStyle:"",shape:xe,label:e.note.text,labelType:"markdown",cssClasses:Ne,cssStyles:[],cssCompiledStyles:[],id:d+Ye+"-"+W,domId:mt(d,W,Kt),type:"node",isGroup:!1,padding:D.flowchart?.padding,look:l,position:e.note.position},F=d+Rt,$={labelStyle:"",shape:Ce,label:e.note.text,cssClasses:u.cssClasses,cssStyles:[],id:d+Rt,domId:mt(d,W,Ut),type:"group",isGroup:!0,padding:16,look:l,position:e.note.position};W++,$.id=F,x.parentId=F,Z(a,$,y),Z(a,x,y),Z(a,w,y);let O=d,G=x.id;e.note.position==="left of"&&(O=x.id,G=d),r.push({id:O+"-"+G,start:O,end:G,arrowhead:"none",arrowTypeEnd:"",style:Gt,labelStyle:"",classes:Ae,pattern:"dashed",arrowheadStyle:Wt,labelpos:"c",labelType:jt,thickness:Mt,look:l})}else Z(a,w,y)}e.doc&&(b.trace("Adding nodes children "),We(e,e.doc,s,a,r,!h,l,y))},"dataFetcher"),je=p(()=>{gt.clear(),W=0,Xt=0,H.clear()},"reset"),qt=p((t,e="TB")=>{if(!t.doc)return e;let s=e;for(let a of t.doc)a.stmt==="dir"&&(s=a.value);return s},"getDir"),Me=p(function(t,e){return e.db.getClasses()},"getClasses"),ze=p(async function(t,e,s,a){b.info("REF0:"),b.info("Drawing state diagram (v2)",e);let{securityLevel:r,state:h,layout:l}=N();a.db.extract(a.db.getRootDocV2());let y=a.db.getData(),d=ee(e,r);y.type=a.type,y.layoutAlgorithm=ie(l),y.nodeSpacing=h?.nodeSpacing||50,y.rankSpacing=h?.rankSpacing||50,N().look==="neo"?y.markers=["barbNeo"]:y.markers=["barb"],y.diagramId=e,await re(y,d);let S=8;try{(typeof a.db.getLinks=="function"?a.db.getLinks():new Map).forEach((f,E)=>{let D=typeof E=="string"?E:typeof E?.id=="string"?E.id:"",Y=y.nodes.find($=>$.id===D);if(!D){b.warn("⚠️ Invalid or missing stateId from key:",JSON.stringify(E));return}let A=d.node()?.querySelectorAll("g.node, g.rough-node"),u;if(A?.forEach($=>{let O=$.textContent?.trim();($.id===Y?.domId||O===D)&&(u=$)}),!u){b.warn("⚠️ Could not find node matching text:",D);return}let w=u.parentNode;if(!w){b.warn("⚠️ Node has no parent, cannot wrap:",D);return}let x=document.createElementNS("http://www.w3.org/2000/svg","a"),F=f.url.replace(/^"+|"+$/g,"");if(x.setAttributeNS("http://www.w3.org/1999/xlink","xlink:href",F),x.setAttribute("target","_blank"),f.tooltip){let $=f.tooltip.replace(/^"+|"+$/g,"");x.setAttribute("title",$),u.setAttribute("title",$)}w.replaceChild(x,u),x.appendChild(u),b.info("🔗 Wrapped node in <a> tag for:",D,f.url)})}catch(f){b.error("❌ Error injecting clickable links:",f)}ae.insertTitle(d,"statediagramTitleText",h?.titleTopMargin??25,a.db.getDiagramTitle()),se(d,S,et,h?.useMaxWidth??!0)},"draw"),Ue={getClasses:Me,draw:ze,getDir:qt},v={START_NODE:"[*]",START_TYPE:"start",END_NODE:"[*]",END_TYPE:"end",COLOR_KEYWORD:"color",FILL_KEYWORD:"fill",BG_FILL:"bgFill",STYLECLASS_SEP:","},Ft=p(()=>new Map,"newClassesList"),Pt=p(()=>({relations:[],states:new Map,documents:{}}),"newDoc"),ft=p(t=>JSON.parse(JSON.stringify(t)),"clone"),U,Ke=(U=class{constructor(e){this.version=e,this.nodes=[],this.edges=[],this.rootDoc=[],this.classes=Ft(),this.documents={root:Pt()},this.currentDocument=this.documents.root,this.startEndCount=0,this.dividerCnt=0,this.links=new Map,this.funs=[],this.getAccTitle=oe,this.setAccTitle=ne,this.getAccDescription=le,this.setAccDescription=ce,this.setDiagramTitle=he,this.getDiagramTitle=de,this.clear(),this.setRootDoc=this.setRootDoc.bind(this),this.getDividerId=this.getDividerId.bind(this),this.setDirection=this.setDirection.bind(this),this.trimColon=this.trimColon.bind(this),this.bindFunctions=this.bindFunctions.bind(this)}extract(e){this.clear(!0);for(let r of Array.isArray(e)?e:e.doc)switch(r.stmt){case q:this.addState(r.id.trim(),r.type,r.doc,r.description,r.note);break;case vt:this.addRelation(r.state1,r.state2,r.description);break;case Te:this.addStyleClass(r.id.trim(),r.classes);break;case _e:this.handleStyleDef(r);break;case Ee:this.setCssClass(r.id.trim(),r.styleClass);break;case"click":this.addLink(r.id,r.url,r.tooltip);break}let s=this.getStates(),a=N();je(),Q(void 0,this.getRootDocV2(),s,this.nodes,this.edges,!0,a.look,this.classes);for(let r of this.nodes)if(Array.isArray(r.label)){if(r.description=r.label.slice(1),r.isGroup&&r.description.length>0)throw new Error(`Group nodes can only have label. Remove the additional description for node [${r.id}]`);r.label=r.label[0]}}handleStyleDef(e){let s=e.id.trim().split(","),a=e.styleClass.split(",");for(let r of s){let h=this.getState(r);if(!h){let l=r.trim();this.addState(l),h=this.getState(l)}h&&(h.styles=a.map(l=>l.replace(/;/g,"")?.trim()))}}setRootDoc(e){b.info("Setting root doc",e),this.rootDoc=e,this.version===1?this.extract(e):this.extract(this.getRootDocV2())}docTranslator(e,s,a){if(s.stmt===vt){this.docTranslator(e,s.state1,!0),this.docTranslator(e,s.state2,!1);return}if(s.stmt===q&&(s.id===v.START_NODE?(s.id=e.id+(a?"_start":"_end"),s.start=a):s.id=s.id.trim()),s.stmt!==J&&s.stmt!==q||!s.doc)return;let r=[],h=[];for(let l of s.doc)if(l.type===Yt){let y=ft(l);y.doc=ft(h),r.push(y),h=[]}else h.push(l);if(r.length>0&&h.length>0){let l={stmt:q,id:ue(),type:"divider",doc:ft(h)};r.push(ft(l)),s.doc=r}s.doc.forEach(l=>this.docTranslator(s,l,!0))}getRootDocV2(){return this.docTranslator({id:J,stmt:J},{id:J,stmt:J,doc:this.rootDoc},!0),{id:J,doc:this.rootDoc}}addState(e,s=tt,a=void 0,r=void 0,h=void 0,l=void 0,y=void 0,d=void 0){let S=e?.trim();if(!this.currentDocument.states.has(S))b.info("Adding state ",S,r),this.currentDocument.states.set(S,{stmt:q,id:S,descriptions:[],type:s,doc:a,note:h,classes:[],styles:[],textStyles:[]});else{let f=this.currentDocument.states.get(S);if(!f)throw new Error(`State not found: ${S}`);f.doc||(f.doc=a),f.type||(f.type=s)}if(r&&(b.info("Setting state description",S,r),(Array.isArray(r)?r:[r]).forEach(f=>this.addDescription(S,f.trim()))),h){let f=this.currentDocument.states.get(S);if(!f)throw new Error(`State not found: ${S}`);f.note=h,f.note.text=z.sanitizeText(f.note.text,N())}l&&(b.info("Setting state classes",S,l),(Array.isArray(l)?l:[l]).forEach(f=>this.setCssClass(S,f.trim()))),y&&(b.info("Setting state styles",S,y),(Array.isArray(y)?y:[y]).forEach(f=>this.setStyle(S,f.trim()))),d&&(b.info("Setting state styles",S,y),(Array.isArray(d)?d:[d]).forEach(f=>this.setTextStyle(S,f.trim())))}clear(e){this.nodes=[],this.edges=[],this.funs=[this.setupToolTips.bind(this)],this.documents={root:Pt()},this.currentDocument=this.documents.root,this.startEndCount=0,this.classes=Ft(),e||(this.links=new Map,pe())}getState(e){return this.currentDocument.states.get(e)}getStates(){return this.currentDocument.states}logDocuments(){b.info("Documents = ",this.documents)}getRelations(){return this.currentDocument.relations}addLink(e,s,a){this.links.set(e,{url:s,tooltip:a}),b.warn("Adding link",e,s,a)}getLinks(){return this.links}startIdIfNeeded(e=""){return e===v.START_NODE?(this.startEndCount++,`${v.START_TYPE}${this.startEndCount}`):e}startTypeIfNeeded(e="",s=tt){return e===v.START_NODE?v.START_TYPE:s}endIdIfNeeded(e=""){return e===v.END_NODE?(this.startEndCount++,`${v.END_TYPE}${this.startEndCount}`):e}endTypeIfNeeded(e="",s=tt){return e===v.END_NODE?v.END_TYPE:s}addRelationObjs(e,s,a=""){let r=this.startIdIfNeeded(e.id.trim()),h=this.startTypeIfNeeded(e.id.trim(),e.type),l=this.startIdIfNeeded(s.id.trim()),y=this.startTypeIfNeeded(s.id.trim(),s.type);this.addState(r,h,e.doc,e.description,e.note,e.classes,e.styles,e.textStyles),this.addState(l,y,s.doc,s.description,s.note,s.classes,s.styles,s.textStyles),this.currentDocument.relations.push({id1:r,id2:l,relationTitle:z.sanitizeText(a,N())})}addRelation(e,s,a){if(typeof e=="object"&&typeof s=="object")this.addRelationObjs(e,s,a);else if(typeof e=="string"&&typeof s=="string"){let r=this.startIdIfNeeded(e.trim()),h=this.startTypeIfNeeded(e),l=this.endIdIfNeeded(s.trim()),y=this.endTypeIfNeeded(s);this.addState(r,h),this.addState(l,y),this.currentDocument.relations.push({id1:r,id2:l,relationTitle:a?z.sanitizeText(a,N()):void 0})}}addDescription(e,s){let a=this.currentDocument.states.get(e),r=s.startsWith(":")?s.replace(":","").trim():s;a?.descriptions?.push(z.sanitizeText(r,N()))}cleanupLabel(e){return e.startsWith(":")?e.slice(2).trim():e.trim()}getDividerId(){return this.dividerCnt++,`divider-id-${this.dividerCnt}`}addStyleClass(e,s=""){this.classes.has(e)||this.classes.set(e,{id:e,styles:[],textStyles:[]});let a=this.classes.get(e);s&&a&&s.split(v.STYLECLASS_SEP).forEach(r=>{let h=r.replace(/([^;]*);/,"$1").trim();if(RegExp(v.COLOR_KEYWORD).exec(r)){let l=h.replace(v.FILL_KEYWORD,v.BG_FILL).replace(v.COLOR_KEYWORD,v.FILL_KEYWORD);a.textStyles.push(l)}a.styles.push(h)})}getClasses(){return this.classes}setupToolTips(e){let s=ke();$t(e).select("svg").selectAll("g.node, g.rough-node").on("mouseover",a=>{let r=$t(a.currentTarget),h=r.attr("title");if(h===null)return;let l=a.currentTarget?.getBoundingClientRect();s.transition().duration(200).style("opacity",".9"),s.style("left",window.scrollX+l.left+(l.right-l.left)/2+"px").style("top",window.scrollY+l.bottom+"px"),s.html(ye.sanitize(h)),r.classed("hover",!0)}).on("mouseout",a=>{s.transition().duration(500).style("opacity",0),$t(a.currentTarget).classed("hover",!1)})}setCssClass(e,s){e.split(",").forEach(a=>{let r=this.getState(a);if(!r){let h=a.trim();this.addState(h),r=this.getState(h)}r?.classes?.push(s)})}setStyle(e,s){this.getState(e)?.styles?.push(s)}setTextStyle(e,s){this.getState(e)?.textStyles?.push(s)}bindFunctions(e){this.funs.forEach(s=>{s(e)})}getDirectionStatement(){return this.rootDoc.find(e=>e.stmt==="dir")}getDirection(){return this.getDirectionStatement()?.value??"TB"}setDirection(e){let s=this.getDirectionStatement();s?s.value=e:this.rootDoc.unshift({stmt:"dir",value:e})}trimColon(e){return e.startsWith(":")?e.slice(1).trim():e.trim()}getData(){let e=N();for(let s of this.nodes)s.wrappingWidth??=e.state?.wrappingWidth,s.isGroup||(s.minWidth??=e.state?.minNodeWidth);return{nodes:this.nodes,edges:this.edges,other:{},config:e,direction:qt(this.getRootDocV2())}}getConfig(){return N().state}},p(U,"StateDB"),U.relationType={AGGREGATION:0,EXTENSION:1,COMPOSITION:2,DEPENDENCY:3},U),Xe=p(t=>{let{theme:e,bkgColorArray:s,borderColorArray:a}=t;if(!fe(e,a))return"";let r=ge(t.look),h=me(s),l="";for(let y=0;y<Se(a);y++){let d=a[y],S=h?`fill: ${s[y%s.length]};`:"",f=`[data-look="${r}"][data-color-id="color-${y}"]`;l+=`

    /* The title strip: \`rect.outer\` spans the whole composite and \`rect.inner\` covers
       the body, so what stays visible of \`outer\` is the band behind the label. */
    ${f}.statediagram-cluster rect.outer {
      stroke: ${d};
      ${S}
    }

    ${f}.statediagram-cluster rect.inner {
      stroke: ${d};
    }

    /* Concurrency regions. Siblings of one composite share a slot, so a divided composite
       reads as one thing split into parts rather than as several composites. */
    ${f}.statediagram-cluster rect.divider {
      stroke: ${d};
      ${S}
    }

    /* handDrawn draws the same container as roughjs shapes rather than plain rects, so it
       needs its own rules. \`roundedWithTitle\` and \`divider\` name those groups \`outer\`,
       \`inner\` and \`divider\` to match the classic branch, which is what lets these
       discriminate -- a bare \`.statediagram-cluster path\` rule reached the body as well and
       tinted the whole composite, losing \`compositeBackground\` and diverging from what
       classic and neo do.

       roughjs emits two paths per shape and marks them: the filled shape carries
       \`stroke="none"\` and the sketched outline carries \`fill="none"\`. Splitting on that is
       what keeps \`fill\` off the outline -- a rough outline is open squiggles, not a closed
       region, so filling it produces smears -- and keeps \`stroke\` off the fill shape, which
       would otherwise gain an edge it was drawn without. */
    ${f}.statediagram-cluster .outer path[stroke='none'] {
      ${S}
    }

    ${f}.statediagram-cluster .outer path[fill='none'] {
      stroke: ${d};
    }

    /* No \`.inner\` rule on purpose. The body shape is left entirely alone under handDrawn,
       where a rect's \`inner\` counterpart cannot be recoloured safely: roughjs draws a
       hachure fill as *stroked* lines, so its fill paths carry \`fill="none"\` exactly like
       the outline and no selector separates them. An \`.inner\` stroke rule therefore
       repainted the hatching of every alt composite in the palette colour instead of
       leaving it on \`altBackground\`. The container still reads as palette-coloured: the
       \`outer\` shape spans the whole composite, so its outline already frames the body. */

    /* Regions split the same way, which is why \`divider\` fills solid rather than taking
       roughjs's default hachure -- see the note on that call. Hatched, both of its paths
       carried \`fill="none"\` and these two rules degenerated: the tint matched nothing and
       the border rule repainted the hatching. */
    ${f}.statediagram-cluster .divider path[stroke='none'] {
      ${S}
    }

    ${f}.statediagram-cluster .divider path[fill='none'] {
      stroke: ${d};
    }
    `}return l},"genColor"),Ve=p(t=>`
${Xe(t)}
defs [id$="-barbEnd"] {
    fill: ${t.transitionColor};
    stroke: ${t.transitionColor};
  }
g.stateGroup text {
  fill: ${t.nodeBorder};
  stroke: none;
  font-size: 10px;
}
g.stateGroup text {
  fill: ${t.textColor};
  stroke: none;
  font-size: 10px;

}
g.stateGroup .state-title {
  font-weight: bolder;
  fill: ${t.stateLabelColor};
}

g.stateGroup rect {
  fill: ${t.mainBkg};
  stroke: ${t.nodeBorder};
}

g.stateGroup line {
  stroke: ${t.lineColor};
  stroke-width: ${t.strokeWidth||1};
}

.transition {
  stroke: ${t.transitionColor};
  stroke-width: ${t.strokeWidth||1};
  fill: none;
}

.stateGroup .composit {
  fill: ${t.background};
  border-bottom: 1px
}

.stateGroup .alt-composit {
  fill: #e0e0e0;
  border-bottom: 1px
}

.state-note {
  stroke: ${t.noteBorderColor};
  fill: ${t.noteBkgColor};

  text {
    fill: ${t.noteTextColor};
    stroke: none;
    font-size: 10px;
  }
}

.stateLabel .box {
  stroke: none;
  stroke-width: 0;
  fill: ${t.mainBkg};
  opacity: 0.5;
}

.edgeLabel .label rect {
  fill: ${t.labelBackgroundColor};
  opacity: 0.5;
}
.edgeLabel {
  background-color: ${t.edgeLabelBackground};
  p {
    background-color: ${t.edgeLabelBackground};
  }
  rect {
    opacity: 0.5;
    background-color: ${t.edgeLabelBackground};
    fill: ${t.edgeLabelBackground};
  }
  text-align: center;
}
.edgeLabel .label text {
  fill: ${t.transitionLabelColor||t.tertiaryTextColor};
}
.label div .edgeLabel {
  color: ${t.transitionLabelColor||t.tertiaryTextColor};
}

.stateLabel text {
  fill: ${t.stateLabelColor};
  font-size: 10px;
  font-weight: bold;
}

.node circle.state-start {
  fill: ${t.specialStateColor};
  stroke: ${t.specialStateColor};
}

.node .fork-join {
  fill: ${t.specialStateColor};
  stroke: ${t.specialStateColor};
}

.node circle.state-end {
  fill: ${t.innerEndBackground};
  stroke: ${t.background};
  stroke-width: 1.5
}
.end-state-inner {
  fill: ${t.compositeBackground||t.background};
  // stroke: ${t.background};
  stroke-width: 1.5
}

.node rect {
  fill: ${t.stateBkg||t.mainBkg};
  stroke: ${t.stateBorder||t.nodeBorder};
  stroke-width: ${t.strokeWidth||1}px;
}
.node polygon {
  fill: ${t.mainBkg};
  stroke: ${t.stateBorder||t.nodeBorder};;
  stroke-width: ${t.strokeWidth||1}px;
}
[id$="-barbEnd"] {
  fill: ${t.lineColor};
}

.statediagram-cluster rect {
  fill: ${t.compositeTitleBackground};
  stroke: ${t.stateBorder||t.nodeBorder};
  stroke-width: ${t.strokeWidth||1}px;
}

.cluster-label, .nodeLabel {
  color: ${t.stateLabelColor};
  // line-height: 1;
}

.statediagram-cluster rect.outer {
  rx: 5px;
  ry: 5px;
}
.statediagram-state .divider {
  stroke: ${t.stateBorder||t.nodeBorder};
}

.statediagram-state .title-state {
  rx: 5px;
  ry: 5px;
}
.statediagram-cluster.statediagram-cluster .inner {
  fill: ${t.compositeBackground||t.background};
}
.statediagram-cluster.statediagram-cluster-alt .inner {
  fill: ${t.altBackground?t.altBackground:"#efefef"};
}

.statediagram-cluster .inner {
  rx:0;
  ry:0;
}

.statediagram-state rect.basic {
  rx: 5px;
  ry: 5px;
}
.statediagram-state rect.divider {
  stroke-dasharray: 10,10;
  fill: ${t.altBackground?t.altBackground:"#efefef"};
}

.note-edge {
  stroke-dasharray: 5;
}

.statediagram-note rect {
  fill: ${t.noteBkgColor};
  stroke: ${t.noteBorderColor};
  stroke-width: 1px;
  rx: 0;
  ry: 0;
}
.statediagram-note rect {
  fill: ${t.noteBkgColor};
  stroke: ${t.noteBorderColor};
  stroke-width: 1px;
  rx: 0;
  ry: 0;
}

.statediagram-note text {
  fill: ${t.noteTextColor};
}

.statediagram-note .nodeLabel {
  color: ${t.noteTextColor};
}
.statediagram .edgeLabel {
  color: red; // ${t.noteTextColor};
}

[id$="-dependencyStart"], [id$="-dependencyEnd"] {
  fill: ${t.lineColor};
  stroke: ${t.lineColor};
  stroke-width: ${t.strokeWidth||1};
}

.statediagramTitleText {
  text-anchor: middle;
  font-size: 18px;
  fill: ${t.textColor};
}

[data-look="neo"].statediagram-cluster rect {
  fill: ${t.mainBkg};
  stroke: ${t.useGradient?"url("+t.svgId+"-gradient)":t.stateBorder||t.nodeBorder};
  stroke-width: ${t.strokeWidth??1};
}
[data-look="neo"].statediagram-cluster rect.outer {
  rx: ${t.radius}px;
  ry: ${t.radius}px;
  filter: ${t.dropShadow?t.dropShadow.replace("url(#drop-shadow)",`url(${t.svgId}-drop-shadow)`):"none"}
}
`,"getStyles"),Je=Ve,ss={parser:be,get db(){return new Ke(2)},renderer:Ue,styles:Je,init:p(t=>{t.state||(t.state={}),t.state.arrowMarkerAbsolute=t.arrowMarkerAbsolute},"init")};export{ss as diagram};
