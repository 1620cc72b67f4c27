import{c as ee}from"./chunk-N3CUNPOK-BFfnNNEg.js";import{m as te}from"./cynefin-SQZ4V6AE-EBUGBJB2-CXXKnA89.js";import{K as ae,X as re,Y as ie,V as le,J as se,Z as ne,m as n,p as O,D as oe,y as de,af as pe,ag as ce,ah as K,ai as he,j as ge,l as ue,aj as me,z as fe}from"./mermaid.esm.min-BGuHAcxY.js";import"../index-D-p2-EEe.js";var $e=fe.pie,R={sections:new Map,showData:!1},C=R.sections,H=R.showData,xe=structuredClone($e),we=n(()=>structuredClone(xe),"getConfig"),ve=n(()=>{C=new Map,H=R.showData,ue()},"clear"),Se=n(({label:e,value:a})=>{if(a<0)throw new Error(`"${e}" has invalid value: ${a}. Negative values are not allowed in pie charts. All slice values must be >= 0.`);C.has(e)||(C.set(e,a),O.debug(`added new section: ${e}, with value: ${a}`))},"addSection"),be=n(()=>C,"getSections"),ye=n(e=>{H=e},"setShowData"),De=n(()=>H,"getShowData"),N={getConfig:we,clear:ve,setDiagramTitle:ne,getDiagramTitle:se,setAccTitle:le,getAccTitle:ie,setAccDescription:re,getAccDescription:ae,addSection:Se,getSections:be,setShowData:ye,getShowData:De},Ce=n((e,a)=>{ee(e,a),a.setShowData(e.showData),e.sections.map(a.addSection)},"populateDb"),ke={parse:n(async e=>{let a=await te("pie",e);O.debug(a),Ce(a,N)},"parse")},Te=n(e=>`
  .pieCircle{
    stroke: ${e.pieStrokeColor};
    stroke-width : ${e.pieStrokeWidth};
    opacity : ${e.pieOpacity};
  }
  .pieCircle.highlighted{
    scale: 1.05;
    opacity: 1;
  }
  .pieCircle.highlightedOnHover:hover{
    transition-duration: 250ms;
    scale: 1.05;
    opacity: 1;
  }
  .pieOuterCircle{
    stroke: ${e.pieOuterStrokeColor};
    stroke-width: ${e.pieOuterStrokeWidth};
    fill: none;
  }
  .pieTitleText {
    text-anchor: middle;
    font-size: ${e.pieTitleTextSize};
    fill: ${e.pieTitleTextColor};
    font-family: ${e.fontFamily};
  }
  .slice {
    font-family: ${e.fontFamily};
    fill: ${e.pieSectionTextColor};
    font-size:${e.pieSectionTextSize};
    // fill: white;
  }
  .legend text {
    fill: ${e.pieLegendTextColor};
    font-family: ${e.fontFamily};
    font-size: ${e.pieLegendTextSize};
  }
`,"getStyles"),Ae=Te,ze=n(e=>{let a=[...e.values()].reduce((d,g)=>d+g,0),B=[...e.entries()].map(([d,g])=>({label:d,value:g})).filter(d=>d.value/a*100>=1);return me().value(d=>d.value).sort(null)(B)},"createPieArcs"),Me=n((e,a,B,d)=>{O.debug(`rendering pie chart
`+e);let g=d.db,F=oe(),u=de(g.getConfig(),F.pie),P=40,i=18,o=4,S=450,x=S,k=pe(a),b=k.append("g");b.attr("transform","translate("+x/2+","+S/2+")");let{themeVariables:l}=F,[W]=ce(l.pieOuterStrokeWidth);W??=2;let X=u.legendPosition,j=u.textPosition,Y=u.donutHole>0&&u.donutHole<=.9?u.donutHole:0,m=Math.min(x,S)/2-P,Z=K().innerRadius(Y*m).outerRadius(m),G=K().innerRadius(m*j).outerRadius(m*j),w=b.append("g");w.append("circle").attr("cx",0).attr("cy",0).attr("r",m+W/2).attr("class","pieOuterCircle");let y=g.getSections(),I=ze(y),_=[l.pie1,l.pie2,l.pie3,l.pie4,l.pie5,l.pie6,l.pie7,l.pie8,l.pie9,l.pie10,l.pie11,l.pie12],T=0;y.forEach(t=>{T+=t});let E=I.filter(t=>(t.data.value/T*100).toFixed(0)!=="0"),A=he(_).domain([...y.keys()]);w.selectAll("mySlices").data(E).enter().append("path").attr("d",Z).attr("fill",t=>A(t.data.label)).attr("class",t=>{let r="pieCircle";return u.highlightSlice==="hover"?r+=" highlightedOnHover":u.highlightSlice===t.data.label&&(r+=" highlighted"),r}),w.selectAll("mySlices").data(E).enter().append("text").text(t=>(t.data.value/T*100).toFixed(0)+"%").attr("transform",t=>"translate("+G.centroid(t)+")").style("text-anchor","middle").attr("class","slice");let q=b.append("text").text(g.getDiagramTitle()).attr("x",0).attr("y",-400/2).attr("class","pieTitleText"),v=[...y.entries()].map(([t,r])=>({label:t,value:r})),f=b.selectAll(".legend").data(v).enter().append("g").attr("class","legend");f.append("rect").attr("width",i).attr("height",i).style("fill",t=>A(t.label)).style("stroke",t=>A(t.label)),f.append("text").attr("x",i+o).attr("y",i-o).text(t=>g.getShowData()?`${t.label} [${t.value}]`:t.label);let $=Math.max(...f.selectAll("text").nodes().map(t=>t?.getBoundingClientRect().width??0)),D=S,z=x+P,s=i+o,M=v.length*s;switch(X){case"center":f.attr("transform",(t,r)=>{let p=s*v.length/2,c=-$/2-(i+o),h=r*s-p;return"translate("+c+","+h+")"});break;case"top":D+=M,f.attr("transform",(t,r)=>{let p=m,c=-$/2-(i+o),h=r*s-p;return`translate(${c}, ${h})`}),w.attr("transform",()=>`translate(0, ${M+s})`);break;case"bottom":D+=M,f.attr("transform",(t,r)=>{let p=-m-s,c=-$/2-(i+o),h=r*s-p;return"translate("+c+","+h+")"});break;case"left":z+=i+o+$,f.attr("transform",(t,r)=>{let p=s*v.length/2,c=-m-(i+o),h=r*s-p;return"translate("+c+","+h+")"}),w.attr("transform",()=>`translate(${$+i+o}, 0)`);break;default:z+=i+o+$,f.attr("transform",(t,r)=>{let p=s*v.length/2,c=12*i,h=r*s-p;return"translate("+c+","+h+")"});break}let L=q.node()?.getBoundingClientRect().width??0,Q=x/2-L/2,U=x/2+L/2,V=Math.min(0,Q),J=Math.max(z,U)-V;k.attr("viewBox",`${V} 0 ${J} ${D}`),ge(k,D,J,u.useMaxWidth)},"draw"),Oe={draw:Me},Pe={parser:ke,db:N,renderer:Oe,styles:Ae};export{Pe as diagram};
