import{c as S}from"./chunk-N3CUNPOK-BFfnNNEg.js";import{m as F}from"./cynefin-SQZ4V6AE-EBUGBJB2-CXXKnA89.js";import{m as g,y as x,af as W,j as E,p as B,V as T,Y as D,Z as Y,J as A,K as L,X as j,w as H,z as K,l as M}from"./mermaid.esm.min-BGuHAcxY.js";import"../index-D-p2-EEe.js";var R=K.packet,u,v=(u=class{constructor(){this.packet=[],this.setAccTitle=T,this.getAccTitle=D,this.setDiagramTitle=Y,this.getDiagramTitle=A,this.getAccDescription=L,this.setAccDescription=j}getConfig(){let t=x({...R,...H().packet});return t.showBits&&(t.paddingY+=10),t}getPacket(){return this.packet}pushWord(t){t.length>0&&this.packet.push(t)}clear(){M(),this.packet=[]}},g(u,"PacketDB"),u),V=1e4,X=g((e,t)=>{S(e,t);let r=-1,i=[],o=1,{bitsPerRow:n}=t.getConfig();for(let{start:a,end:s,bits:c,label:b}of e.blocks){if(a!==void 0&&s!==void 0&&s<a)throw new Error(`Packet block ${a} - ${s} is invalid. End must be greater than start.`);if(a??=r+1,a!==r+1)throw new Error(`Packet block ${a} - ${s??a} is not contiguous. It should start from ${r+1}.`);if(c===0)throw new Error(`Packet block ${a} is invalid. Cannot have a zero bit field.`);for(s??=a+(c??1)-1,c??=s-a+1,r=s,B.debug(`Packet block ${a} - ${r} with label ${b}`);i.length<=n+1&&t.getPacket().length<V;){let[d,p]=I({start:a,end:s,bits:c,label:b},o,n);if(i.push(d),d.end+1===o*n&&(t.pushWord(i),i=[],o++),!p)break;({start:a,end:s,bits:c,label:b}=p)}}t.pushWord(i)},"populate"),I=g((e,t,r)=>{if(e.start===void 0)throw new Error("start should have been set during first phase");if(e.end===void 0)throw new Error("end should have been set during first phase");if(e.start>e.end)throw new Error(`Block start ${e.start} is greater than block end ${e.end}.`);if(e.end+1<=t*r)return[e,void 0];let i=t*r-1,o=t*r;return[{start:e.start,end:i,label:e.label,bits:i-e.start},{start:o,end:e.end,label:e.label,bits:e.end-o}]},"getNextFittingBlock"),C={parser:{yy:void 0},parse:g(async e=>{let t=await F("packet",e),r=C.parser?.yy;if(!(r instanceof v))throw new Error("parser.parser?.yy was not a PacketDB. This is due to a bug within Mermaid, please report this issue at https://github.com/mermaid-js/mermaid/issues.");B.debug(t),X(t,r)},"parse")},J=g((e,t,r,i)=>{let o=i.db,n=o.getConfig(),{rowHeight:a,paddingY:s,bitWidth:c,bitsPerRow:b}=n,d=o.getPacket(),p=o.getDiagramTitle(),w=a+s,l=w*(d.length+1)-(p?0:a),h=c*b+2,k=W(t);k.attr("viewBox",`0 0 ${h} ${l}`),E(k,l,h,n.useMaxWidth);for(let[f,m]of d.entries())N(k,m,f,n);k.append("text").text(p).attr("x",h/2).attr("y",l-w/2).attr("dominant-baseline","middle").attr("text-anchor","middle").attr("class","packetTitle")},"draw"),N=g((e,t,r,{rowHeight:i,paddingX:o,paddingY:n,bitWidth:a,bitsPerRow:s,showBits:c,bitOrder:b})=>{let d=e.append("g"),p=r*(i+n)+n,w=b==="descending";for(let l of t){let h=l.end-l.start+1,k=l.start%s,f=(w?s-k-h:k)*a+1,m=h*a-o;if(d.append("rect").attr("x",f).attr("y",p).attr("width",m).attr("height",i).attr("class","packetBlock"),d.append("text").attr("x",f+m/2).attr("y",p+i/2).attr("class","packetLabel").attr("dominant-baseline","middle").attr("text-anchor","middle").text(l.label),!c)continue;let[P,z]=w?[l.end,l.start]:[l.start,l.end],y=h===1,$=p-2;d.append("text").attr("x",f+(y?m/2:0)).attr("y",$).attr("class","packetByte start").attr("dominant-baseline","auto").attr("text-anchor",y?"middle":"start").text(P),y||d.append("text").attr("x",f+m).attr("y",$).attr("class","packetByte end").attr("dominant-baseline","auto").attr("text-anchor","end").text(z)}},"drawWord"),Z={draw:J},q={byteFontSize:"10px",startByteColor:"black",endByteColor:"black",labelColor:"black",labelFontSize:"12px",titleColor:"black",titleFontSize:"14px",blockStrokeColor:"black",blockStrokeWidth:"1",blockFillColor:"#efefef"},O=g(({packet:e}={})=>{let t=x(q,e);return`
	.packetByte {
		font-size: ${t.byteFontSize};
	}
	.packetByte.start {
		fill: ${t.startByteColor};
	}
	.packetByte.end {
		fill: ${t.endByteColor};
	}
	.packetLabel {
		fill: ${t.labelColor};
		font-size: ${t.labelFontSize};
	}
	.packetTitle {
		fill: ${t.titleColor};
		font-size: ${t.titleFontSize};
	}
	.packetBlock {
		stroke: ${t.blockStrokeColor};
		stroke-width: ${t.blockStrokeWidth};
		fill: ${t.blockFillColor};
	}
	`},"styles"),tt={parser:C,get db(){return new v},renderer:Z,styles:O};export{tt as diagram};
